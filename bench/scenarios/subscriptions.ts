import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { COUCHDB_REQUESTS, HEAP_USED, PrometheusScrape, RESIDENT_MEMORY } from '../support/metrics.js';
import { cpuSecondsByProcess } from '../support/processes.js';
import { check, formatNumber } from '../support/report.js';
import { inBatches, now, SseSubscriber } from '../support/sse-subscriber.js';
import type { Scenario } from './scenario.js';

const USER_JAVA_TYPE = 'org.taktik.icure.entities.User';
/** Each practice (healthcare party) has this many subscribers: every write reaches that many. */
const SUBSCRIBERS_PER_PRACTICE = 10;
const USERS_PER_PRACTICE = 2;
/** At least this many users are written in turn, so that no user is written twice within seconds. */
const MIN_USERS = 500;
const CONNECT_CONCURRENCY = 32;
const SETTLE_MS = 3_000;
/** Writes go on this long after every client has reconnected. */
const AFTER_RECONNECT_MS = 3_000;
const DRAIN_GUARD_MS = 30_000;
/** Clients not reconnected by then stay away: the events they miss count as lost. */
const RECONNECT_GUARD_MS = 5 * 60_000;
const GATEWAY = 'gateway-subscriptions';
/** The resume window the gateway is given, in seconds of writes. */
const WINDOW_SECONDS = 600;
const KiB = 1024;

const QUERY = 'subscription Practice($hcp: ID) { usersChanged(healthcarePartyId: $hcp) { cursor kind userId user { rev name } } }';

type Phase = 'connecting' | 'steady' | 'reconnecting' | 'draining';

/**
 * Live users at scale: BENCH_SUBSCRIBERS SSE subscriptions held by this process
 * (`usersChanged(healthcarePartyId)`, 10 per practice) on a fresh gateway, while users
 * are written straight into CouchDB at BENCH_WRITE_RATE per second, as iCure would.
 * Each write names the moment it was sent, so every receipt gives a write → receipt
 * latency. Half-way, every client is disconnected and reconnects with the last id it
 * had (`Last-Event-ID`); afterwards each client's events are checked against the
 * writes of its practice: none lost, none twice. Also: memory and CPU per
 * subscriber, and CouchDB requests per second (the feed serves them all).
 */
export const subscriptions: Scenario = {
  name: 'subscriptions',
  needsSeededUsers: false,
  async run(context) {
    const { subscribers: count, writeRate, seconds } = context.settings;
    requireOpenFiles(count);
    const { couch, database } = context;
    const practices = Math.max(1, Math.ceil(count / SUBSCRIBERS_PER_PRACTICE));
    const practiceOf = (index: number) => `bench-practice-${index % practices}`;
    const userCount = Math.max(USERS_PER_PRACTICE * practices, MIN_USERS);
    // Written before the gateway starts: its feeds begin after them, so they make no events.
    const docs = Array.from({ length: userCount }, (_, index) => ({
      _id: `bench-live-${index}`,
      java_type: USER_JAVA_TYPE,
      status: 'ACTIVE',
      login: `bench-live-${index}`,
      healthcarePartyId: practiceOf(index),
      roles: [],
      permissions: [],
    }));
    const revs: string[] = [];
    for (let start = 0; start < docs.length; start += 1000) revs.push(...(await couch.insertMany(database, docs.slice(start, start + 1000))));

    const gateway = await context.startFreshGateway(GATEWAY, {
      SUBSCRIPTIONS_MAX: String(count + 1000),
      SUBSCRIPTIONS_PER_CALLER: String(count + 1000),
      // Reconnecting every client takes a while (minutes at 10 000 on a busy machine): the resume window must cover it.
      USER_EVENTS_WINDOW: String(Math.max(10_000, Math.ceil(writeRate * WINDOW_SECONDS))),
    });
    let phase: Phase = 'connecting';
    const latencies: Record<Phase, number[]> = { connecting: [], steady: [], reconnecting: [], draining: [] };
    const problems: string[] = [];
    /** Per subscriber: how often each `<user>@<rev>` arrived. */
    const received: Map<string, number>[] = [];
    const clients = Array.from({ length: count }, (_, index) => {
      const seen = new Map<string, number>();
      received.push(seen);
      return new SseSubscriber(
        `${gateway.url}/graphql`,
        context.admin,
        JSON.stringify({ query: QUERY, variables: { hcp: practiceOf(index) } }),
        (result, receivedAt) => {
          if (result.errors?.length)
            return void problems.push(`subscriber ${index} (${phase}): ${result.errors[0]!.message} ${JSON.stringify(result.errors[0]!.extensions)}`);
          const event = result.data!.usersChanged as { userId: string; user: { rev: string; name: string } };
          const key = `${event.userId}@${event.user.rev}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          const sentAt = Number(/^bench-write (\d+(?:\.\d+)?)$/.exec(event.user.name)?.[1]);
          if (sentAt) latencies[phase].push(receivedAt - sentAt);
        },
        (reason) => problems.push(`subscriber ${index} lost its stream (${phase}): ${reason}`),
      );
    });
    const scrape = () => PrometheusScrape.of(gateway.url);
    const cpu = () => cpuSecondsByProcess()[GATEWAY] ?? 0;

    try {
      // A few first, so that what is measured next is the cost of subscribers, not of the first one.
      const warmUp = Math.min(100, Math.ceil(count / 10));
      await inBatches(clients.slice(0, warmUp), CONNECT_CONCURRENCY, (client) => client.connect());
      await sleep(SETTLE_MS);
      const beforeSubscribers = await scrape();
      const connectStarted = now();
      await inBatches(clients.slice(warmUp), CONNECT_CONCURRENCY, (client) => client.connect());
      const connectSeconds = (now() - connectStarted) / 1000;
      await sleep(SETTLE_MS);
      const idleCpuStart = cpu();
      await sleep(SETTLE_MS);
      const idleCpu = (cpu() - idleCpuStart) / (SETTLE_MS / 1000);
      const withSubscribers = await scrape();
      const measured = count - warmUp;
      const rssPerSubscriber = measured > 0 ? (withSubscribers.sum(RESIDENT_MEMORY) - beforeSubscribers.sum(RESIDENT_MEMORY)) / measured : 0;
      const heapPerSubscriber = measured > 0 ? (withSubscribers.sum(HEAP_USED) - beforeSubscribers.sum(HEAP_USED)) / measured : 0;
      const held = withSubscribers.sum('gateway_subscriptions_open');
      console.log(
        `  ${held} subscriptions held after ${formatNumber(connectSeconds)} s; RSS ${formatNumber(rssPerSubscriber / KiB)} KiB, heap ${formatNumber(heapPerSubscriber / KiB)} KiB per subscriber`,
      );

      // Steady writes straight into CouchDB.
      const expected = new Map<string, string[]>();
      const writer = new SteadyWriter(writeRate, async (sequence) => {
        const index = sequence % docs.length;
        const rev = await couch.putDocument(database, { ...docs[index]!, _rev: revs[index]!, name: `bench-write ${now()}` });
        revs[index] = rev;
        const practice = practiceOf(index);
        const keys = expected.get(practice) ?? [];
        expected.set(practice, keys);
        keys.push(`${docs[index]!._id}@${rev}`);
      });
      phase = 'steady';
      const steadyStart = { scrape: await scrape(), cpu: cpu(), at: now() };
      writer.start(problems);
      await sleep(seconds * 1000);
      const steadyEnd = { scrape: await scrape(), cpu: cpu(), at: now() };
      const steadySeconds = (steadyEnd.at - steadyStart.at) / 1000;
      const steadyCpu = (steadyEnd.cpu - steadyStart.cpu) / steadySeconds;
      const couchPerSecond = (steadyEnd.scrape.sum(COUCHDB_REQUESTS) - steadyStart.scrape.sum(COUCHDB_REQUESTS)) / steadySeconds;
      const steadyDeliveries = latencies.steady.length / steadySeconds;
      // Pauses of the gateway's event loop (prom-client resets the histogram at each scrape: this one covers the steady writes).
      const gatewayLoopDelayMaxMs = steadyEnd.scrape.sum('nodejs_eventloop_lag_max_seconds') * 1000;
      const gcSeconds = (kind: string) =>
        steadyEnd.scrape.sum('nodejs_gc_duration_seconds_sum', { kind }) - steadyStart.scrape.sum('nodejs_gc_duration_seconds_sum', { kind });
      const steady = percentiles(latencies.steady);
      console.log(
        `  steady: p50 ${formatNumber(steady.p50)} ms, p99 ${formatNumber(steady.p99)} ms, ${formatNumber(steadyDeliveries)} deliveries/s, gateway ${formatNumber(steadyCpu)} cores, ` +
          `its longest event-loop pause ${formatNumber(gatewayLoopDelayMaxMs)} ms, major GC ${formatNumber(gcSeconds('major'))} s`,
      );

      // Every client drops its connection and comes back with the last id it had, writes going on.
      phase = 'reconnecting';
      // The load process's own delays, to tell them from the gateway's.
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const reconnectStarted = now();
      for (const client of clients) client.disconnect();
      let reconnected = 0;
      await inBatches(clients, CONNECT_CONCURRENCY, async (client) => {
        if (now() - reconnectStarted > RECONNECT_GUARD_MS) return;
        await client.connect();
        reconnected++;
      });
      const reconnectSeconds = (now() - reconnectStarted) / 1000;
      console.log(`  ${reconnected} of ${count} clients reconnected in ${formatNumber(reconnectSeconds)} s`);
      loopDelay.disable();
      await sleep(AFTER_RECONNECT_MS);
      await writer.stop();
      phase = 'draining';

      const missing = () => {
        let lost = 0;
        clients.forEach((_, index) => {
          for (const key of expected.get(practiceOf(index)) ?? []) if (!received[index]!.has(key)) lost++;
        });
        return lost;
      };
      const drainStarted = now();
      while (missing() > 0 && now() - drainStarted < DRAIN_GUARD_MS) await sleep(100);
      const lost = missing();
      const duplicated = received.reduce((total, seen) => total + [...seen.values()].reduce((sum, times) => sum + times - 1, 0), 0);
      const writes = [...expected.values()].reduce((total, keys) => total + keys.length, 0);
      if (problems.length) throw new Error(`${problems.length} problems, e.g. ${problems.slice(0, 6).join('; ')}`);

      const reconnecting = percentiles([...latencies.reconnecting, ...latencies.draining]);
      const label = `${count} subscribers, ${writeRate} writes/s straight into CouchDB`;
      return {
        measurements: [],
        checks: [
          check({
            scenario: `subscriptions: write → receipt p99, ${label}`,
            figure: `${latencies.steady.length} receipts in ${formatNumber(steadySeconds)} s: p50 ${formatNumber(steady.p50)} ms, p99 ${formatNumber(steady.p99)} ms, max ${formatNumber(steady.max)} ms`,
            baseline: '—',
            value: steady.p99,
            target: { comparison: '≤', bound: 500, unit: ' ms' },
          }),
          check({
            scenario: 'subscriptions: events lost, across a forced reconnect of every client',
            figure: `${writes} writes, each expected by ${SUBSCRIBERS_PER_PRACTICE} subscribers; ${reconnected} of ${count} reconnected in ${formatNumber(reconnectSeconds)} s`,
            baseline: '—',
            value: lost,
            target: { comparison: '≤', bound: 0, unit: ' events' },
          }),
          check({
            scenario: 'subscriptions: events duplicated, across a forced reconnect of every client',
            figure: `${writes} writes`,
            baseline: '—',
            value: duplicated,
            target: { comparison: '≤', bound: 0, unit: ' events' },
          }),
          check({
            scenario: 'subscriptions: gateway memory per idle subscriber (RSS)',
            figure: `${held} subscriptions held; heap ${formatNumber(heapPerSubscriber / KiB)} KiB per subscriber`,
            baseline: `RSS with ${warmUp} subscribers: ${formatNumber(beforeSubscribers.sum(RESIDENT_MEMORY) / 2 ** 20)} MiB`,
            value: rssPerSubscriber / KiB,
            target: { comparison: '≤', bound: 20, unit: ' KiB' },
          }),
        ],
        details: {
          subscribers: count,
          subscriptionsHeld: held,
          writeRate,
          writes,
          connectSeconds,
          subscribePerSecond: (count - warmUp) / connectSeconds,
          steadyP50Ms: steady.p50,
          steadyP99Ms: steady.p99,
          steadyMaxMs: steady.max,
          deliveriesPerSecond: steadyDeliveries,
          reconnectSeconds,
          reconnected,
          reconnectP50Ms: reconnecting.p50,
          reconnectP99Ms: reconnecting.p99,
          reconnectMaxMs: reconnecting.max,
          loadProcessLoopDelayP99MsDuringReconnect: loopDelay.percentile(99) / 1e6,
          lost,
          duplicated,
          gatewayCpuSteadyCores: steadyCpu,
          gatewayCpuIdleCores: idleCpu,
          gatewayLoopDelayMaxMsSteady: gatewayLoopDelayMaxMs,
          gatewayMajorGcSecondsSteady: gcSeconds('major'),
          gatewayMinorGcSecondsSteady: gcSeconds('minor'),
          gatewayCpuMicrosecondsPerDelivery: steadyDeliveries > 0 ? (steadyCpu / steadyDeliveries) * 1e6 : 0,
          gatewayCpuPerSubscriberSteadyPercent: (steadyCpu / count) * 100,
          rssPerSubscriberKiB: rssPerSubscriber / KiB,
          heapPerSubscriberKiB: heapPerSubscriber / KiB,
          rssWithSubscribersMiB: withSubscribers.sum(RESIDENT_MEMORY) / 2 ** 20,
          couchRequestsPerSecond: couchPerSecond,
        },
      };
    } finally {
      for (const client of clients) client.disconnect();
      await gateway.stop();
    }
  },
};

/** Writes at a steady rate, each write in its own promise (they overlap when CouchDB is slow). */
class SteadyWriter {
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly perSecond: number,
    private readonly write: (sequence: number) => Promise<void>,
  ) {}

  start(problems: string[]): void {
    const startedAt = now();
    let sent = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((now() - startedAt) / 1000) * this.perSecond);
      while (sent < due) {
        const pending = this.write(sent++).catch((error: unknown) => void problems.push(`write: ${error instanceof Error ? error.message : error}`));
        this.inFlight.add(pending);
        void pending.finally(() => this.inFlight.delete(pending));
      }
    }, 5);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.inFlight);
  }
}

function percentiles(values: number[]): { p50: number; p99: number; max: number } {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p99: at(99), max: sorted.at(-1)! };
}

/** Each subscriber is a socket here and one in the gateway (a child of this process, with the same limit). */
function requireOpenFiles(subscribers: number): void {
  const needed = subscribers + 1000;
  const limits = (() => {
    try {
      return readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null; // not Linux: nothing to check
    }
  })();
  const match = limits && /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  if (!match || match[1] === 'unlimited' || Number(match[1]) >= needed) return;
  throw new Error(`BENCH_SUBSCRIBERS=${subscribers} needs ${needed} open files, this shell allows ${match[1]} (hard limit ${match[2]}): run 'ulimit -n ${needed}' first`);
}

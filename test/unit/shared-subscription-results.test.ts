import { GraphQLID, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, type ExecutionArgs } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useSharedSubscriptionResults } from '../../src/schema/shared-subscription-results.js';

interface Event {
  seq: number;
}

/**
 * A toy server: every subscriber's stream yields the same event objects (as the
 * gateway's log hands them out), `value` counts its executions, the caller comes
 * from a header and the SSE id is recorded per subscriber.
 */
function server() {
  const subscribers = new Set<(event: Event) => void>();
  let executions = 0;
  const ids: string[] = [];
  const Change = new GraphQLObjectType<Event>({
    name: 'Change',
    fields: {
      seq: { type: new GraphQLNonNull(GraphQLInt) },
      value: {
        type: GraphQLString,
        args: { tag: { type: GraphQLID } },
        resolve: (event, { tag }: { tag?: string }, context: { caller: string }) => {
          executions++;
          return `${event.seq}:${tag ?? ''}:${context.caller}`;
        },
      },
    },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLInt, resolve: () => 1 } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        changes: {
          type: new GraphQLNonNull(Change),
          resolve: (event: Event) => event,
          subscribe: () => {
            const queue: Event[] = [];
            let wake: (() => void) | null = null;
            const push = (event: Event) => {
              queue.push(event);
              wake?.();
            };
            subscribers.add(push);
            const iterator: AsyncIterableIterator<Event> = {
              [Symbol.asyncIterator]() {
                return this;
              },
              async next() {
                while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
                return { done: false, value: queue.shift()! };
              },
              async return() {
                subscribers.delete(push);
                return { done: true, value: undefined };
              },
            };
            return iterator;
          },
        },
      },
    }),
  });
  const yoga = createYoga<Record<string, unknown>, { caller: string }>({
    schema,
    context: ({ request }) => ({ caller: request.headers.get('x-caller') ?? 'anonymous' }),
    plugins: [
      useSharedSubscriptionResults({
        sharingKey: (args: ExecutionArgs) => (args.contextValue as { caller: string }).caller,
        perEvent: (event, context) => ids.push(`${(event as Event).seq}@${(context as { caller: string }).caller}`),
      }),
    ],
  });
  return {
    yoga,
    subscribers,
    ids,
    executions: () => executions,
    publish: (event: Event) => {
      for (const push of subscribers) push(event);
    },
  };
}

/** Opens a subscription over SSE; `read` collects the data of its next events. */
async function subscribe(yoga: ReturnType<typeof server>['yoga'], caller: string, tag: string) {
  const response = await yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-caller': caller },
    body: JSON.stringify({ query: 'subscription ($tag: ID) { changes { seq value(tag: $tag) } }', variables: { tag } }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async read(count: number): Promise<unknown[]> {
      const events: unknown[] = [];
      while (events.length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (block.includes('event: next') && data) events.push(JSON.parse(data.slice(6)));
        }
      }
      return events;
    },
    close: () => reader.cancel(),
  };
}

describe('shared subscription results', () => {
  it('executes an event once per document, variables and caller, and still calls perEvent for every subscriber', async () => {
    const { yoga, subscribers, ids, executions, publish } = server();
    const alice1 = await subscribe(yoga, 'alice', 'a');
    const alice2 = await subscribe(yoga, 'alice', 'a');
    const alice3 = await subscribe(yoga, 'alice', 'b');
    const bob = await subscribe(yoga, 'bob', 'a');
    await expect.poll(() => subscribers.size).toBe(4);

    const event = { seq: 1 };
    publish(event);
    const results = await Promise.all([alice1, alice2, alice3, bob].map((client) => client.read(1)));
    expect(results).toEqual([
      [{ data: { changes: { seq: 1, value: '1:a:alice' } } }],
      [{ data: { changes: { seq: 1, value: '1:a:alice' } } }],
      [{ data: { changes: { seq: 1, value: '1:b:alice' } } }],
      [{ data: { changes: { seq: 1, value: '1:a:bob' } } }],
    ]);
    // alice×a once, alice×b once, bob×a once.
    expect(executions()).toBe(3);
    expect(ids.sort()).toEqual(['1@alice', '1@alice', '1@alice', '1@bob']);

    // Another tick, another event: executed again (nothing is kept past the tick).
    publish({ seq: 2 });
    await Promise.all([alice1, alice2, alice3, bob].map((client) => client.read(1)));
    expect(executions()).toBe(6);

    await Promise.all([alice1, alice2, alice3, bob].map((client) => client.close()));
    await expect.poll(() => subscribers.size).toBe(0);
  });

  it('answers variable errors as graphql-tools does: a 400 with BAD_USER_INPUT, before the source is opened', async () => {
    const { yoga, subscribers } = server();
    const response = await yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription ($tag: ID) { changes { value(tag: $tag) } }', variables: { tag: { not: 'an id' } } }),
    });
    const text = await response.text();
    expect(text).toContain('"code":"BAD_USER_INPUT"');
    expect(subscribers.size).toBe(0);
  });
});

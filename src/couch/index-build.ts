import type { DocumentScope } from 'nano';
import type { Logger } from 'pino';
import { callCouch, couchStatus, isUnavailable, isTimeout } from './couch-errors.js';
import { DESIGN_DOCUMENT_ID, DESIGN_DOCUMENT_NAME, type DesignViews, type ViewDefinition } from './design-document.js';
import { BACKGROUND_RETRIES, retrying } from './retry.js';

export interface IndexBuildOptions {
  logger: Logger;
  /** True once the gateway is shutting down: the build is left to CouchDB. */
  stopped: () => boolean;
  /** How often progress is logged while the build lasts; the first line comes after at most a second. */
  progressIntervalMs?: number;
}

/**
 * Has CouchDB build the design document's indexes now rather than in the first user
 * request, and resolves once they are built (false: `stopped` first). A view query
 * waits for the build; on a large database it outlasts the request timeout, which
 * is no failure: CouchDB goes on building after the client gives up, so the query
 * is simply made again (with the same backoff as a CouchDB that does not answer).
 * Progress is logged from `_active_tasks` where CouchDB shows it (server admins).
 */
export async function buildIndexes(db: DocumentScope<unknown>, views: DesignViews, options: IndexBuildOptions): Promise<boolean> {
  const started = performance.now();
  const progress = new ProgressLog(db, options);
  try {
    const built = await retrying(
      async () => {
        if (options.stopped()) return false;
        // Together: CouchDB builds a design document's views in one pass anyway; the embedded store builds each on its own.
        await Promise.all(Object.entries(views).map(([view, definition]) => queryNothing(db, view, definition)));
        return true;
      },
      BACKGROUND_RETRIES,
      (error) => {
        if (!isUnavailable(error) || options.stopped()) return false;
        // A timeout means CouchDB is building: worth saying at once.
        if (isTimeout(error)) progress.announce();
        else options.logger.warn({ err: error, database: db.config.db }, 'index build: CouchDB did not answer; trying again');
        return true;
      },
    );
    if (built && progress.announced) {
      options.logger.info(
        { database: db.config.db, designDocument: DESIGN_DOCUMENT_ID, seconds: seconds(started) },
        `built index ${DESIGN_DOCUMENT_ID} of ${db.config.db} in ${seconds(started)} s`,
      );
    }
    return built;
  } catch (error) {
    if (options.stopped()) return false;
    throw error;
  } finally {
    progress.stop();
  }
}

/** A view query for no rows: it answers once the view's index is up to date. */
async function queryNothing(db: DocumentScope<unknown>, view: string, definition: ViewDefinition): Promise<void> {
  // Without reduce: PouchDB would reduce the whole view to return no row.
  const params = { limit: 0, ...(definition.reduce ? { reduce: false } : {}) };
  await callCouch(() => db.view(DESIGN_DOCUMENT_NAME, view, params));
}

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 100) / 10;
}

/** One of CouchDB's `_active_tasks`; an index build runs as one `indexer` task per shard. */
interface ActiveTask {
  type?: string;
  database?: string;
  design_document?: string;
  changes_done?: number;
  total_changes?: number;
}

/**
 * Logs "building index …" at the first view query that times out, or a second into
 * the build, then its progress every `progressIntervalMs`: from `_active_tasks` on
 * CouchDB (shards summed), elapsed time alone where that is not available (the
 * embedded store, a non-admin account).
 */
class ProgressLog {
  announced = false;
  private timer: NodeJS.Timeout;
  private stopped = false;
  private readonly started = performance.now();
  private readonly intervalMs: number;
  private tasksAvailable = true;
  /** The last progress seen of each shard's task. */
  private readonly shards = new Map<string, { done: number; total: number }>();

  constructor(
    private readonly db: DocumentScope<unknown>,
    private readonly options: IndexBuildOptions,
  ) {
    this.intervalMs = options.progressIntervalMs ?? 5_000;
    this.timer = setTimeout(() => void this.tick(), Math.min(1_000, this.intervalMs));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Says now that the build is under way, if not said yet. */
  announce(): void {
    if (!this.announced) this.log(null);
  }

  private async tick(): Promise<void> {
    const changes = await this.changes();
    if (this.stopped) return;
    this.log(changes);
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }

  private log(changes: { done: number; total: number } | null): void {
    const database = this.db.config.db;
    const percent = changes && changes.total > 0 ? Math.floor((100 * changes.done) / changes.total) : 0;
    this.announced = true;
    this.options.logger.info(
      {
        database,
        designDocument: DESIGN_DOCUMENT_ID,
        seconds: seconds(this.started),
        ...(changes ? { changesDone: changes.done, totalChanges: changes.total, percent } : {}),
      },
      `building index ${DESIGN_DOCUMENT_ID} of ${database}${changes ? `: ${percent} % (${changes.done}/${changes.total} changes)` : ''}, ${seconds(this.started)} s so far`,
    );
  }

  /** Changes indexed so far and to index, over the build's shards; null when CouchDB does not say. */
  private async changes(): Promise<{ done: number; total: number } | null> {
    if (!this.tasksAvailable) return null;
    let tasks: ActiveTask[];
    try {
      tasks = await callCouch(() => this.db.server.request({ path: '_active_tasks' }));
    } catch (error) {
      // Not served (the embedded store) or not allowed (not a server admin): do not ask again.
      if ([401, 403, 404].includes(couchStatus(error) ?? 0)) this.tasksAvailable = false;
      return null;
    }
    const ours = tasks.filter((task) => task.type === 'indexer' && task.design_document === DESIGN_DOCUMENT_ID && shardOf(task.database) === this.db.config.db);
    // A shard's task ends when its part is built: it counts as done from then on.
    for (const shard of this.shards.values()) shard.done = shard.total;
    for (const task of ours) this.shards.set(task.database ?? '', { done: task.changes_done ?? 0, total: task.total_changes ?? 0 });
    if (!this.shards.size) return null;
    return [...this.shards.values()].reduce((sum, shard) => ({ done: sum.done + shard.done, total: sum.total + shard.total }), { done: 0, total: 0 });
  }
}

/** The database a task works on: `shards/<range>/<db>.<suffix>` in a clustered CouchDB, else its name. */
function shardOf(database: string | undefined): string | undefined {
  return database?.match(/^shards\/[^/]+\/(.+)\.\d+$/)?.[1] ?? database;
}

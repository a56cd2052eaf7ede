import type { DocumentScope, ServerScope } from 'nano';
import type { Logger } from 'pino';
import { ChangeFeed, type ChangeFeedOptions, type ChangeRow, type FeedStatus } from './change-feed.js';
import { callCouch, couchStatus, isNotFound } from './couch-errors.js';
import { installDesignDocument, type DesignViews } from './design-document.js';
import type { DocumentWrites } from './document-writes.js';
import { buildIndexes } from './index-build.js';

/** How to follow the databases' change feeds, and who is told of their rows. */
export interface FeedSettings extends Pick<ChangeFeedOptions, 'nodes' | 'heartbeatMs' | 'maxLagMs' | 'dispatcher' | 'onState'> {
  onChanges(database: string, rows: ChangeRow[]): void;
}

/**
 * Names and prepares the user databases: `<prefix>-base` and
 * `<prefix>-<groupId>-base`. A database is prepared (created when asked to, design
 * document with `views` installed, its change feed started when feeds are on) once per
 * process; a failed preparation is retried next time.
 */
export class UserDatabases {
  private readonly prepared = new Map<string, Promise<void>>();
  /** Index builds by database, under way or done: true when built, false when closed first. */
  private readonly builds = new Map<string, Promise<boolean>>();
  /** Databases whose view indexes are built (see `buildIndexes`). */
  private readonly indexed = new Set<string>();
  private readonly feeds = new Map<string, ChangeFeed>();
  private closed = false;

  constructor(
    private readonly server: ServerScope,
    readonly prefix: string,
    private readonly views: DesignViews,
    /** Single-document writes, safe against concurrent writers in a cluster. */
    readonly documents: DocumentWrites,
    private readonly logger: Logger,
    private readonly feedSettings: FeedSettings | null = null,
  ) {}

  /** Whether the change feed of a database is following it now (never, with feeds off). */
  isFollowing(name: string): boolean {
    return this.feeds.get(name)?.isLive() ?? false;
  }

  /** The state of every database's change feed. */
  feedStatuses(): FeedStatus[] {
    return [...this.feeds.values()].map((feed) => feed.status());
  }

  /** The database of a group, or the default one when `groupId` is absent. */
  nameFor(groupId?: string | null): string {
    return groupId ? `${this.prefix}-${groupId}-base` : `${this.prefix}-base`;
  }

  /** Creates the database if needed and installs the design document. */
  async open(groupId?: string | null): Promise<DocumentScope<unknown>> {
    const name = this.nameFor(groupId);
    try {
      await this.prepare(name, true);
    } catch (error) {
      // A concurrent read-only preparation found no database; this one creates it.
      if (!isNotFound(error)) throw error;
      await this.prepare(name, true);
    }
    return this.server.use(name);
  }

  /**
   * The database for reading, or null when it does not exist (reads never create
   * databases). Absence is not remembered: another writer may create it any time.
   */
  async openIfExists(groupId?: string | null): Promise<DocumentScope<unknown> | null> {
    const name = this.nameFor(groupId);
    try {
      await this.prepare(name, false);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    return this.server.use(name);
  }

  /** Ids of the groups that have a database under this prefix. */
  async groupIds(): Promise<string[]> {
    const names = await callCouch(() => this.server.db.list());
    const start = `${this.prefix}-`;
    return names
      .filter((name) => name.startsWith(start) && name.endsWith('-base') && name !== this.nameFor())
      .map((name) => name.slice(start.length, -'-base'.length))
      .filter((groupId) => groupId.length > 0);
  }

  /**
   * Creates the database if needed and resolves once its indexes are built, however
   * long that takes; false when the databases were closed first.
   */
  async indexesBuilt(groupId?: string | null): Promise<boolean> {
    await this.open(groupId);
    return (await this.builds.get(this.nameFor(groupId))) ?? false;
  }

  /**
   * Why the gateway cannot serve yet, or null when it can: CouchDB must answer, the
   * default database exist and its indexes be built. For readiness probes.
   */
  async unreadiness(): Promise<string | null> {
    const name = this.nameFor();
    await callCouch(() => this.server.db.get(name));
    return this.indexed.has(name) ? null : 'building indexes';
  }

  /** Stops background index builds and the change feeds. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.feeds.values()].map((feed) => feed.stop()));
  }

  private prepare(name: string, create: boolean): Promise<void> {
    let preparation = this.prepared.get(name);
    if (!preparation) {
      preparation = (async () => {
        if (create) await createDatabase(this.server, name);
        const db = this.server.use(name);
        await installDesignDocument(db, this.views);
        await this.follow(name);
        // In the background: requests may come meanwhile, and readiness reports it.
        const build = buildIndexes(db, this.views, { logger: this.logger, stopped: () => this.closed });
        this.builds.set(name, build);
        build.then(
          (built) => built && this.indexed.add(name),
          (error: unknown) => {
            this.logger.error({ err: error, database: name }, `could not build the indexes of ${name}`);
            this.prepared.delete(name);
          },
        );
      })();
      this.prepared.set(name, preparation);
      preparation.catch(() => this.prepared.delete(name));
    }
    return preparation;
  }

  /**
   * Starts following a database from its current sequence, read now: whatever is
   * read from it after this resolves, a later change of it reaches the feed.
   */
  private async follow(name: string): Promise<void> {
    const settings = this.feedSettings;
    if (!settings || this.feeds.has(name) || this.closed) return;
    const feed = new ChangeFeed({ ...settings, db: name, onChanges: (rows) => settings.onChanges(name, rows) });
    await callCouch(() => feed.start());
    this.feeds.set(name, feed);
  }
}

/** PUT /db; 412 means it exists already, which is what we want (concurrent start). */
async function createDatabase(server: ServerScope, name: string): Promise<void> {
  try {
    await callCouch(() => server.db.create(name));
  } catch (error) {
    if (couchStatus(error) !== 412) throw error;
  }
}

import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/** What decides a subscription event's result besides the event itself: null when it must not be shared. */
export type SharingKey = (args: ExecutionArgs) => string | null;

/**
 * Subscriptions whose events are executed once for all the subscribers that would get
 * the same result: the same event, the same document, the same variables and
 * operation, and the same `sharingKey` (the caller as its scopes see it). A change
 * reaches every subscriber of its healthcare party in the same tick, and executing its
 * selection for each of them (resolvers, scope checks, result objects) was most of the
 * work per delivery and of the garbage behind the pauses of the event loop. What
 * differs per subscriber stays per subscriber: which events reach it (its stream
 * filters and authorizes each one before execution), and `perEvent` (the SSE id).
 *
 * Results are shared only within the tick that computed them (the cache is emptied on
 * the next turn of the event loop), so nothing outlives the delivery of one batch;
 * a subscriber that pulls an event later (a replay, a queued event) executes it again,
 * which gives the same result.
 *
 * The rest is graphql-tools' `subscribe` as yoga runs it: variable errors are a 400
 * BAD_USER_INPUT, errors of the source stream are located at the operation. A client
 * that goes away ends the stream through its answer (`useSseEventIds` returns the
 * iterator), not through the request's abort signal, which would cost every open
 * subscription an AbortController and its listeners.
 */
export function useSharedSubscriptionResults({
  sharingKey,
  perEvent,
}: {
  sharingKey: SharingKey;
  /** Runs for each subscriber and event, before its result is handed out (shared or not). */
  perEvent: (event: unknown, contextValue: unknown) => void;
}): Plugin {
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  /** This tick's results, by event, then by document, variables and caller. */
  let shared = new Map<unknown, Map<string, Promise<ExecutionResult> | ExecutionResult>>();
  let clearing = false;

  const resultOf = (args: ExecutionArgs, key: string, event: unknown): Promise<ExecutionResult> | ExecutionResult => {
    let byKey = shared.get(event);
    if (!byKey) {
      byKey = new Map();
      shared.set(event, byKey);
      if (!clearing) {
        clearing = true;
        setImmediate(() => {
          shared = new Map();
          clearing = false;
        });
      }
    }
    let result = byKey.get(key);
    if (!result) {
      result = execute({ ...args, rootValue: event });
      byKey.set(key, result);
    }
    return result;
  };

  const sharing: Sharing = { sharingKey, perEvent, resultOf };

  const subscribe = async (args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> => {
    let documentId = documentIds.get(args.document);
    if (documentId === undefined) {
      documentId = nextDocumentId++;
      documentIds.set(args.document, documentId);
    }
    const request = `${documentId}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? null)}`;
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return asGraphqlTools(source);
    return new SharedResults(source[Symbol.asyncIterator](), args, request, sharing);
  };

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe as Parameters<typeof setSubscribeFn>[0]);
    },
  };
}

/** An early result as graphql-tools gives it: errors of the request itself (its variables) are a 400 BAD_USER_INPUT. */
function asGraphqlTools(result: ExecutionResult): ExecutionResult {
  for (const error of result.errors ?? []) {
    if (error.path !== undefined) continue;
    const extensions = error.extensions as Record<string, unknown>;
    extensions.http = { ...(extensions.http as object | undefined), status: 400 };
    extensions.code = 'BAD_USER_INPUT';
  }
  return result;
}

/** What a subscriber's results need of the plugin. */
interface Sharing {
  sharingKey: SharingKey;
  perEvent: (event: unknown, contextValue: unknown) => void;
  resultOf(args: ExecutionArgs, key: string, event: unknown): Promise<ExecutionResult> | ExecutionResult;
}

/**
 * One subscriber's results: its source's events, each executed (or taken from another
 * subscriber's identical execution). A class rather than closures: a subscription
 * holds it as long as it lasts.
 */
class SharedResults implements AsyncIterableIterator<ExecutionResult> {
  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    /** The document, operation and variables, as part of the sharing key. */
    private readonly request: string,
    private readonly sharing: Sharing,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    return this.source.next().then(
      (step) => this.map(step),
      (error: unknown) => this.located(error),
    );
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (this.source.return) await this.source.return();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    if (this.source.throw) return this.map(await this.source.throw(error));
    throw error;
  }

  private async map(step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> {
    if (step.done) return { done: true, value: undefined };
    const { args, sharing } = this;
    sharing.perEvent(step.value, args.contextValue);
    // The caller as it is now (a confirmation may have replaced the one the request started with).
    const caller = sharing.sharingKey(args);
    const value = caller === null ? await execute({ ...args, rootValue: step.value }) : await sharing.resultOf(args, `${this.request}\n${caller}`, step.value);
    return { done: false, value };
  }

  /** An error of the source, located at the operation (as graphql-tools' subscribe does). */
  private located(error: unknown): never {
    const operation = getOperationAST(this.args.document, this.args.operationName) as OperationDefinitionNode;
    throw new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error as Error, nodes: [operation] });
  }
}

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
 * BAD_USER_INPUT, errors of the source stream are located at the operation, and the
 * request's abort signal ends the stream.
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

  const subscribe = async (args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> => {
    let documentId = documentIds.get(args.document);
    if (documentId === undefined) {
      documentId = nextDocumentId++;
      documentIds.set(args.document, documentId);
    }
    const request = `${documentId}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? null)}`;
    const signal = (args as { signal?: AbortSignal }).signal;
    signal?.throwIfAborted();
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return asGraphqlTools(source);
    const operation = getOperationAST(args.document, args.operationName) as OperationDefinitionNode;
    const iterator = source[Symbol.asyncIterator]();
    if (signal && iterator.return) signal.addEventListener('abort', () => void iterator.return?.(), { once: true });
    const map = async (step: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> => {
      if (step.done) return step as IteratorReturnResult<undefined>;
      perEvent(step.value, args.contextValue);
      // The caller as it is now (a confirmation may have replaced the one the request started with).
      const caller = sharingKey(args);
      const value = caller === null ? await execute({ ...args, rootValue: step.value }) : await resultOf(args, `${request}\n${caller}`, step.value);
      return { done: false, value };
    };
    const located = (error: unknown): never => {
      throw new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error as Error, nodes: [operation] });
    };
    const results: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => iterator.next().then(map, located),
      return: async () => (iterator.return ? ((await iterator.return()) as IteratorReturnResult<undefined>) : { done: true, value: undefined }),
      throw: async (error: unknown) => {
        if (iterator.throw) return map(await iterator.throw(error));
        throw error;
      },
    };
    return results;
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

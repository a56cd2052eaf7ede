import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Caller } from './caller.js';

/** What the confirmation reads and settles in a request's context. */
export interface CallerContext {
  /** The authenticated caller, or null (anonymous); until `callerConfirmation` settles, as last verified. */
  caller: Caller | null;
  /** Pending while `caller` is the one a recently verified credential remembers. */
  callerConfirmation: Promise<Caller> | null;
}

/**
 * Runs a query as the caller a recently verified credential remembers, while the
 * caller's current document is read in the same CouchDB batch as the query's own
 * reads: one round trip instead of two in a row. The answer waits for that read. It
 * stands if the caller's document has not changed; if it has, the query runs again
 * as the caller now is; if the credential no longer verifies, the answer is 401,
 * whatever the query found. Mutations and subscriptions wait for the caller's document
 * before they start (subscriptions never reach `onExecute`).
 */
export function useCallerConfirmation<Context extends CallerContext>(): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      const context = args.contextValue;
      const confirmation = context.callerConfirmation;
      if (!confirmation) return;
      return confirmation.then((caller) => {
        context.caller = caller;
        context.callerConfirmation = null;
      });
    },
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue;
      const confirmation = context.callerConfirmation;
      if (!confirmation) return;
      if (getOperationAST(args.document, args.operationName)?.operation !== 'query') {
        return confirmation.then((caller) => {
          context.caller = caller;
          context.callerConfirmation = null;
        });
      }
      setExecuteFn(async (executionArgs) => {
        const [result, confirmed] = await Promise.all([executeFn(executionArgs), confirmation]);
        if (confirmed.user._rev === context.caller?.user._rev) return result;
        // A new context: scope-auth caches the caller's scopes per context object.
        return executeFn({ ...executionArgs, contextValue: { ...context, caller: confirmed, callerConfirmation: null } });
      });
    },
  };
}

/** The caller once confirmed against its current document: for checks made before execution. */
export async function confirmedCaller(context: CallerContext): Promise<Caller | null> {
  return context.callerConfirmation ? await context.callerConfirmation : context.caller;
}

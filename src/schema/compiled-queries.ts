import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Queries run as JavaScript compiled once per document (graphql-jit) instead of
 * graphql-js walking the document for every field of every answer: a page of 100
 * users spends most of its CPU in that walk. The compiled query is kept beside the
 * parsed document, so it lives as long as yoga's parse cache keeps that document.
 * Mutations and subscriptions keep graphql-js: they are rare and their ordering
 * and streaming rules are graphql-js's own.
 */
export function useCompiledQueries(): Plugin {
  const jit = useGraphQlJit(
    {},
    {
      enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation === 'query',
      onError: () => {
        // Validation has refused invalid documents already; what still fails to compile answers with its errors.
      },
    },
  );
  return { onExecute: jit.onExecute };
}

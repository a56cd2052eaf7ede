import type { Plugin } from 'graphql-yoga';

/**
 * GraphQL over HTTP: a partial success (some root fields resolved, others failed) is a
 * 200, whatever the failed fields' own statuses (400, 403, 404, 409…); headers the
 * errors ask for (WWW-Authenticate, Retry-After) are kept. When every root field
 * failed, nothing succeeded: the answer keeps the errors' status (an anonymous
 * `{ user(id: …) { id } }` is a 401, as the contract says), though its `data` holds
 * the nulls.
 */
export function usePartialSuccessStatus(): Plugin {
  return {
    onResultProcess({ result }) {
      if (Array.isArray(result) || !result || !('data' in result) || !result.data || !result.errors) return;
      const failed = new Set(result.errors.map((error) => error.path?.[0]));
      if (!Object.keys(result.data).some((field) => !failed.has(field))) return;
      for (const error of result.errors) {
        const extensions = error.extensions as { http?: { status?: number } };
        if (extensions.http?.status !== undefined) extensions.http = { ...extensions.http, status: undefined };
      }
    },
  };
}

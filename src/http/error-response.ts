import type { ErrorCode } from '../errors.js';

/** An answer given before GraphQL runs, in the shape of a GraphQL error response. */
export function errorResponse(status: number, code: ErrorCode, message: string): Response {
  // A string body, so that the answer has a Content-Length (see compressResponses in server.ts).
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

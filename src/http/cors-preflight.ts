import type { Plugin } from 'graphql-yoga';
import { errorResponse } from './error-response.js';

/**
 * With `CORS_ORIGINS` unset, a browser's CORS preflight (OPTIONS with
 * Access-Control-Request-Method) is refused with a message about CORS: it would
 * otherwise meet the CSRF check and read as a CSRF problem.
 */
export function refuseCorsPreflights(): Plugin {
  return {
    onRequest({ request, endResponse }) {
      if (request.method !== 'OPTIONS' || !request.headers.has('access-control-request-method')) return;
      const origin = request.headers.get('origin') ?? 'the calling page';
      endResponse(
        errorResponse(
          403,
          'FORBIDDEN',
          `Cross-origin requests are not allowed: CORS_ORIGINS is unset, so no other origin may call this gateway from a browser (to allow ${origin}, set CORS_ORIGINS=${origin})`,
        ),
      );
    },
  };
}

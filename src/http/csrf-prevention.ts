import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { Plugin } from 'graphql-yoga';
import { forbidden } from '../errors.js';

/** The header that marks a request as not forgeable by another site's form or image. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * yoga's CSRF prevention (a request a browser sends without a CORS preflight must
 * carry `CSRF_HEADER`), with a refusal that says what to send instead of yoga's
 * "Required CSRF header(s) not present".
 */
export function csrfPrevention(): Plugin {
  const check = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }).onRequestParse;
  return {
    onRequestParse(payload) {
      try {
        return check?.(payload);
      } catch {
        throw forbidden(
          `Refused as a possible cross-site request forgery: send the header ${CSRF_HEADER} (any value), or a Content-Type that browsers preflight, such as application/json`,
        );
      }
    },
  };
}

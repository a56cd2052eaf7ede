import type { Plugin } from 'graphql-yoga';
import { SCRIPT_CHALLENGE } from '../errors.js';

/**
 * A 401 to a browser page's script (fetch, XHR: GraphiQL, an Apollo web app) carries
 * `WWW-Authenticate: X-Basic …` instead of `Basic …`: on a Basic challenge Chromium
 * and Firefox open their native sign-in dialog (which a headless browser never
 * answers) instead of giving the page the JSON error. Other clients (curl -u, servers,
 * a browser navigating to the URL) keep the Basic challenge.
 *
 * A page's script is told apart by what browsers send: `Sec-Fetch-Dest` (every
 * request of Chromium ≥ 80, Firefox ≥ 90, Safari ≥ 16.4; Node's fetch sends only
 * `Sec-Fetch-Mode`) with a `Sec-Fetch-Mode` other than `navigate`, or an
 * `X-Requested-With` header (jQuery and other XHR libraries).
 */
export function useBrowserChallenge(): Plugin {
  return {
    onResponse({ request, response }) {
      if (response.status !== 401 || !fromPageScript(request.headers)) return;
      // Deleted first: on headers given as an object, whatwg-node's set() adds a lower-case
      // key beside `WWW-Authenticate`, and both would be sent.
      response.headers.delete('WWW-Authenticate');
      response.headers.set('WWW-Authenticate', SCRIPT_CHALLENGE);
    },
  };
}

function fromPageScript(headers: Headers): boolean {
  if (headers.has('x-requested-with')) return true;
  return headers.has('sec-fetch-dest') && headers.get('sec-fetch-mode') !== 'navigate';
}

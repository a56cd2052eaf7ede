import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import { css, editorWorkerService, favicon, graphqlWorker, js, jsonWorker } from '@graphql-yoga/render-graphiql/graphiql';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { CSRF_HEADER } from './csrf-prevention.js';

/**
 * GraphiQL as yoga's render-graphiql package builds it, from the installed package
 * (offline), but not as one 9 MB page: a small HTML page that loads the bundle, its
 * style sheet, Monaco's workers and the icon as separate assets. Each asset has the
 * hash of its content in its path and is cached by the browser for good (ETag,
 * `immutable`); it is compressed once, on its first request in each encoding.
 */
export interface GraphiQL {
  /** yoga's `renderGraphiQL`: the page. */
  render(options: GraphiQLOptions): string;
  /** Serves the assets, and redirects `/` to the page. */
  plugin: Plugin;
}

type Encoding = 'br' | 'gzip';

interface Asset {
  path: string;
  type: string;
  body: Buffer;
  etag: string;
  encoded: Map<Encoding, Promise<Buffer>>;
}

const ASSETS_PATH = '/graphiql/';
const compressors: Record<Encoding, (body: Buffer) => Promise<Buffer>> = {
  // Quality 5: within a few percent of 11 for this bundle, in 0.5 s of CPU instead of 20.
  br: (body) => promisify(brotliCompress)(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  gzip: (body) => promisify(gzip)(body),
};

export function createGraphiQL(graphqlEndpoint: string): GraphiQL {
  const asset = (name: string, type: string, content: string | Buffer): Asset => {
    const body = Buffer.from(content);
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    return { path: `${ASSETS_PATH}${hash}/${name}`, type, body, etag: `"${hash}"`, encoded: new Map() };
  };
  const assets = {
    script: asset('graphiql.js', 'text/javascript; charset=utf-8', js),
    style: asset('graphiql.css', 'text/css; charset=utf-8', css),
    icon: asset('favicon.ico', 'image/x-icon', Buffer.from(favicon.slice(favicon.indexOf(',') + 1), 'base64')),
    editorWorker: asset('editor.worker.js', 'text/javascript; charset=utf-8', editorWorkerService),
    jsonWorker: asset('json.worker.js', 'text/javascript; charset=utf-8', jsonWorker),
    graphqlWorker: asset('graphql.worker.js', 'text/javascript; charset=utf-8', graphqlWorker),
  };
  const byPath = new Map(Object.values(assets).map((entry) => [entry.path, entry]));
  const workers = { editorWorkerService: assets.editorWorker.path, json: assets.jsonWorker.path, graphql: assets.graphqlWorker.path };

  return {
    render: (given) => {
      // GraphiQL sends subscriptions as GET over SSE, which CSRF prevention refuses without the header.
      const options: GraphiQLOptions = { ...given, additionalHeaders: { [CSRF_HEADER]: '1', ...given.additionalHeaders } };
      return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="icon" href="${assets.icon.path}" />
    <link rel="stylesheet" href="${assets.style.path}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script>
      const workers = ${scriptJson(workers)};
      self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (moduleId, label) => workers[label] };
    </script>
    <script src="${assets.script.path}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${scriptJson(options)});
    </script>
  </body>
</html>
`;
    },
    plugin: {
      onRequest({ request, url, endResponse }) {
        if (request.method !== 'GET' && request.method !== 'HEAD') return;
        if (url.pathname === '/') {
          endResponse(new Response(null, { status: 302, headers: { location: graphqlEndpoint } }));
          return;
        }
        if (!url.pathname.startsWith(ASSETS_PATH)) return;
        const found = byPath.get(url.pathname);
        if (!found) return;
        return serveAsset(found, request).then(endResponse);
      },
    },
  };
}

async function serveAsset(asset: Asset, request: Request): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': asset.type,
    'cache-control': 'public, max-age=31536000, immutable',
    etag: asset.etag,
    vary: 'Accept-Encoding',
  };
  if (request.headers.get('if-none-match') === asset.etag) return new Response(null, { status: 304, headers });
  const encoding = preferredEncoding(request.headers.get('accept-encoding'));
  let body = asset.body;
  if (encoding) {
    let encoded = asset.encoded.get(encoding);
    if (!encoded) {
      encoded = compressors[encoding](asset.body);
      asset.encoded.set(encoding, encoded);
      encoded.catch(() => asset.encoded.delete(encoding));
    }
    body = await encoded;
    headers['content-encoding'] = encoding;
  }
  // A Buffer is a Uint8Array, which Response takes; the DOM typings want a plain ArrayBuffer under it.
  return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
    status: 200,
    headers: { ...headers, 'content-length': String(body.length) },
  });
}

/** br, else gzip, if Accept-Encoding lists it with a non-zero weight (RFC 9110 §12.5.3). */
function preferredEncoding(acceptEncoding: string | null): Encoding | null {
  const accepted = new Set<string>();
  for (const entry of (acceptEncoding ?? '').toLowerCase().split(',')) {
    const [coding, ...parameters] = entry.split(';').map((part) => part.trim());
    const weight = parameters.find((parameter) => parameter.startsWith('q='));
    if (coding && !(weight && Number(weight.slice(2)) === 0)) accepted.add(coding);
  }
  if (accepted.has('br') || accepted.has('*')) return 'br';
  return accepted.has('gzip') ? 'gzip' : null;
}

/** JSON inside a <script>: `<` escaped, so that no string can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}

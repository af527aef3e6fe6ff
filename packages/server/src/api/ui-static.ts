/**
 * Serving the web UI (packages/ui's bundle) and the server's 404s.
 *
 * With a `uiDir`: its files through @fastify/static at `/` (GET and HEAD),
 * and an SPA fallback: any GET/HEAD that is not under /api/, /v1/, /healthz,
 * /metrics and matches no file answers index.html, so /jobs/<id>,
 * /logs?q=… and /traces/<id> load the app. index.html and unhashed assets
 * are `cache-control: no-cache` (revalidated with ETag / Last-Modified);
 * names carrying a content hash (`app-3F2A9B1C.js`) are cached for a year.
 * Without a `uiDir`: `GET /` answers a short page saying the UI is not built.
 * Everything else that has no route answers the API's JSON 404.
 *
 * These routes sit in the root context, outside the token check (which
 * covers the API and ingest routes): the app's files are public, and the
 * app asks for a token when the API answers 401.
 *
 * Traversal: @fastify/static refuses `..`, encoded separators and
 * non-canonical paths (403, answered here as 404), and the fallback never
 * serves a path with a `..` segment, a backslash or a NUL.
 */
import { basename, resolve } from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Path prefixes that never fall back to the app. */
const RESERVED = ['/api', '/v1', '/healthz', '/metrics'];
/** esbuild-style content hashes: `name-HASH.ext`, `name.HASH.ext` (8+ characters). */
const HASHED = /[.-][A-Za-z0-9]{8,}\.(?:js|css|woff2?|png|svg|jpg|webp|ico|map)$/;
const YEAR_S = 365 * 86_400;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page `/` answers when no UI is served. Fixed text only. */
export const NOT_BUILT_HTML = (() => {
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e('Jobscope')}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#222}code{background:#f2f2f2;padding:0 .3em}</style>
</head><body>
<h1>${e('Jobscope')}</h1>
<p>${e('The web UI is not served by this server: it is not built, or it was turned off with')} <code>--no-ui</code>.</p>
<p>${e('Build it with')} <code>npm run build</code> ${e('(npm start builds it too), then start the server again.')}</p>
<p>${e('The server is running: the query API answers under')} <code>/api/</code>${e(', OTLP/HTTP ingest under')} <code>/v1/</code>${e(', health at')} <code>/healthz</code>.</p>
</body></html>
`;
})();

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function reserved(path: string): boolean {
  return RESERVED.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}?`));
}

/** `..` segments, backslashes, NULs — raw or percent-encoded; undecodable paths too. */
function suspicious(path: string): boolean {
  let decoded: string;
  try { decoded = decodeURIComponent(path); } catch { return true; }
  return /(?:^|[/\\])\.\.(?:[/\\]|$)/.test(decoded) || decoded.includes('\\') || decoded.includes('\0');
}

function notFound(req: FastifyRequest, reply: FastifyReply): void {
  reply.code(404).send({ error: 'JS_NOT_FOUND', message: `no route ${req.method} ${pathOf(req.url).slice(0, 200)}` });
}

/** The root's error handler calls this first: a refused static path is a 404. */
export function isForbiddenStaticPath(err: unknown): boolean {
  return (err as FastifyError | undefined)?.code === 'FST_STATIC_FORBIDDEN_PATH';
}

/** Registers the UI (when `uiDir` is set) or the "not built" page, and the JSON 404. Call on the root instance. */
export async function registerUi(app: FastifyInstance, uiDir: string | undefined): Promise<void> {
  if (!uiDir) {
    app.get('/', async (_req, reply) => {
      reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .type('text/html; charset=utf-8');
      return NOT_BUILT_HTML;
    });
    app.setNotFoundHandler(notFound);
    return;
  }
  const root = resolve(uiDir);
  app.setNotFoundHandler((req, reply) => {
    const path = pathOf(req.url);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || reserved(path) || suspicious(path)) {
      notFound(req, reply);
      return;
    }
    // The SPA fallback: the app's router reads the URL.
    reply.code(200).sendFile('index.html', root);
  });
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    dotfiles: 'ignore',
    list: false,
    redirect: false,
    cacheControl: false,
    setHeaders(reply, path) {
      const name = basename(path);
      reply.header('cache-control', name !== 'index.html' && HASHED.test(name) ? `public, max-age=${YEAR_S}, immutable` : 'no-cache');
      reply.header('x-content-type-options', 'nosniff');
      if (name.endsWith('.html')) reply.header('x-frame-options', 'DENY');
    },
  });
}

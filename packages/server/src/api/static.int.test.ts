/**
 * Serving the web UI: static files, the SPA fallback, the API's JSON 404,
 * path traversal, the token (API guarded, app files public), and the
 * "not built" page when no uiDir is set. A temporary directory with a tiny
 * index.html / app.js stands in for packages/ui's bundle.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, logRecord, logsRequest, postLogs, type TestServer } from '../testkit/server.js';
import { tempDir } from '../testkit/temp-dir.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/app.js"></script></head><body><div id="app"></div></body></html>\n';
const APP_JS = 'document.getElementById("app").textContent = "jobscope";\n';
const TOKEN = 'static-test-token';

let ui: { dir: string; cleanup: () => void };
let current: { key: string; server: TestServer } | undefined;

/** One embedded ClickHouse per process: the server of each configuration in turn, on one data directory. */
async function server(kind: 'ui' | 'token' | 'none'): Promise<string> {
  if (current?.key === kind) return current.server.url;
  const dir = current?.server.dir;
  await current?.server.server.close();
  const over = kind === 'ui' ? { uiDir: ui.dir } : kind === 'token' ? { uiDir: ui.dir, token: TOKEN } : {};
  const t = await startTestServer(over, dir);
  current = { key: kind, server: t };
  return t.url;
}

before(() => {
  ui = tempDir('jobscope-ui-');
  writeFileSync(join(ui.dir, 'index.html'), INDEX);
  writeFileSync(join(ui.dir, 'app.js'), APP_JS);
  writeFileSync(join(ui.dir, 'app.css'), 'body { margin: 0 }\n');
  writeFileSync(join(ui.dir, 'chunk-3F2A9B1C.js'), 'export const x = 1;\n');
  writeFileSync(join(ui.dir, '.env'), 'SECRET=1\n');
  mkdirSync(join(ui.dir, 'assets'));
  writeFileSync(join(ui.dir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
});
after(async () => {
  const dir = current?.server.dir;
  await current?.server.server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  ui?.cleanup();
});

/** A request with the path sent exactly as written (fetch would normalize `..`). */
function raw(base: string, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('/ and client routes answer index.html; index.html is not cached', async () => {
  const base = await server('ui');
  for (const path of ['/', '/index.html', '/jobs/abc', '/jobs/job-1.2', '/logs?q=level:error&live=1', '/traces/4bf92f3577b34da6a3ce929d0e0e4736', '/machines', '/jobs/']) {
    const r = await fetch(base + path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/, path);
    assert.equal(r.headers.get('cache-control'), 'no-cache', path);
    assert.equal(await r.text(), INDEX, path);
  }
  const head = await raw(base, '/jobs/abc', 'HEAD');
  assert.equal(head.status, 200);
  assert.match(head.type, /^text\/html/);
  assert.equal(head.body, '');
});

test('files are served with their content types; hashed names are cached', async () => {
  const base = await server('ui');
  const js = await fetch(`${base}/app.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /^(text|application)\/javascript/);
  assert.equal(js.headers.get('cache-control'), 'no-cache');
  assert.equal(js.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(await js.text(), APP_JS);
  const css = await fetch(`${base}/app.css`);
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  await css.body?.cancel();
  const svg = await fetch(`${base}/assets/logo.svg`);
  assert.match(svg.headers.get('content-type') ?? '', /^image\/svg\+xml/);
  await svg.body?.cancel();
  const hashed = await fetch(`${base}/chunk-3F2A9B1C.js`);
  assert.match(hashed.headers.get('cache-control') ?? '', /max-age=31536000, immutable/);
  await hashed.body?.cancel();
  // A revalidation of an unchanged file is a 304 (fetch would add cache-control: no-cache to a conditional request).
  const etag = js.headers.get('etag');
  assert.ok(etag);
  assert.equal((await raw(base, '/app.js', 'GET', { 'if-none-match': etag })).status, 304);
});

test('the API, ingest and health keep their own answers; unknown /api paths are a JSON 404', async () => {
  const base = await server('ui');
  for (const path of ['/api/nope', '/api/', '/api', '/v1/nope', '/v1/logs', '/metrics', '/healthz/x', '/api/nope?x=1']) {
    const r = await fetch(base + path);
    assert.equal(r.status, 404, path);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/, path);
    assert.equal(((await r.json()) as { error: string }).error, 'JS_NOT_FOUND', path);
  }
  const post = await fetch(`${base}/jobs/abc`, { method: 'POST', body: 'x' });
  assert.equal(post.status, 404);
  await post.body?.cancel();
  const health = await fetch(`${base}/healthz`);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  const logs = await fetch(`${base}/api/logs?limit=1`);
  assert.equal(logs.status, 200);
  assert.deepEqual(Object.keys((await logs.json()) as object), ['rows', 'nextCursor']);
  assert.equal((await postLogs(base, logsRequest([logRecord()]))).status, 200);
});

test('path traversal does not leak files outside the UI directory, nor dotfiles', async () => {
  const base = await server('ui');
  const attempts = [
    '/..%2f..%2fetc/passwd', '/..%2F..%2F..%2F..%2Fetc%2Fpasswd', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2f..%2f..%2fetc/passwd', '/..%5c..%5cetc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/assets/../../../../etc/passwd',
    '/....//....//etc/passwd', '/%252e%252e/%252e%252e/etc/passwd', '/.env', '/assets/%2e%2e/.env', '//etc/passwd', '/%00/etc/passwd',
  ];
  for (const path of attempts) {
    const r = await raw(base, path);
    assert.ok(!/root:/.test(r.body), `${path} leaked /etc/passwd`);
    assert.ok(!/SECRET/.test(r.body), `${path} leaked a dotfile`);
    // A refused path is a 404 or 400; a path that names nothing may load the app (its router shows "not found").
    assert.ok(r.status === 404 || r.status === 400 || (r.status === 200 && r.body === INDEX), `${path}: ${r.status} ${r.body.slice(0, 80)}`);
  }
  for (const path of ['/..%2f..%2fetc/passwd', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%5c..%5cetc/passwd']) {
    const r = await raw(base, path);
    assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
  }
});

test('with a token: the API and ingest need it, the app files do not', async () => {
  const base = await server('token');
  assert.equal((await fetch(`${base}/api/logs`)).status, 401);
  assert.equal((await fetch(`${base}/api/overview`)).status, 401);
  assert.equal((await postLogs(base, logsRequest([logRecord()]))).status, 401);
  const ok = await fetch(`${base}/api/overview`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
  for (const path of ['/', '/app.js', '/jobs/abc']) {
    const r = await fetch(base + path);
    assert.equal(r.status, 200, path);
    await r.body?.cancel();
  }
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
});

test('without uiDir: / says the UI is not built; other paths are a JSON 404', async () => {
  const base = await server('none');
  const r = await fetch(`${base}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
  const html = await r.text();
  assert.match(html, /not built/);
  assert.match(html, /npm run build/);
  assert.doesNotMatch(html, /<script/i);
  for (const path of ['/jobs/abc', '/app.js', '/api/nope']) {
    const x = await fetch(base + path);
    assert.equal(x.status, 404, path);
    assert.equal(((await x.json()) as { error: string }).error, 'JS_NOT_FOUND', path);
  }
  assert.equal((await fetch(`${base}/api/logs`)).status, 200);
});

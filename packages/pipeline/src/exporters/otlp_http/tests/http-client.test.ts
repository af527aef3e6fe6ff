import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { OtlpHttpClient } from '../http-client.js';
import { RetryableSendError } from '../errors.js';

async function serve(t: { after(fn: () => Promise<void>): void }, handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const req = { signal: 'logs' as const, body: Buffer.from([]), gzip: false, batchId: 'i-n-1-1' };

test('requests reuse one keep-alive connection and go to {endpoint}/v1/<signal>', async (t) => {
  const paths: string[] = [];
  const { server, url } = await serve(t, (r, res) => {
    paths.push(String(r.url));
    r.resume();
    r.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
  });
  let connections = 0;
  server.on('connection', () => connections++);
  const client = new OtlpHttpClient(url + '/prefix/', {}, 'x-jobscope-batch-id');
  const never = new AbortController().signal;
  for (const signal of ['logs', 'traces', 'metrics'] as const) await client.post({ ...req, signal }, 2000, never);
  assert.deepEqual(paths, ['/prefix/v1/logs', '/prefix/v1/traces', '/prefix/v1/metrics']);
  assert.equal(connections, 1);
  client.destroy();
});

test('at most 64 KiB of a response is read: an endless body does not stall a send', async (t) => {
  const { url } = await serve(t, (r, res) => {
    r.resume();
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '3' });
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const timer = setInterval(() => res.write(chunk), 1);
    res.on('close', () => clearInterval(timer));
  });
  const client = new OtlpHttpClient(url, {}, null);
  const t0 = Date.now();
  await assert.rejects(client.post(req, 5000, new AbortController().signal), (e: unknown) => {
    assert.ok(e instanceof RetryableSendError);
    assert.equal(e.httpStatus, 503);
    assert.equal(e.retryAfterMs, 3000);
    return true;
  });
  assert.ok(Date.now() - t0 < 2000);
  client.destroy();
});

test('an abort is passed through as such, a timeout becomes retryable', async (t) => {
  const { url } = await serve(t, (r) => r.resume()); // never answers
  const client = new OtlpHttpClient(url, {}, null);
  await assert.rejects(client.post(req, 100, new AbortController().signal), /timed out after 100 ms/);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(client.post(req, 5000, ac.signal), (e: unknown) => !(e instanceof RetryableSendError) && (e as Error).name === 'AbortError');
  client.destroy();
});

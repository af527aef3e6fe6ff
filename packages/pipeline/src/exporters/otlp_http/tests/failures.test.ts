import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOtlpHttpExporter } from '../index.js';
import { freePort, openLog, options, record, tagsOf, tempDir, TestServer, waitFor } from './helpers.js';

test('500s and closed sockets are retried under the same batch id until delivered', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.plan.push('error', 'reset', 'error');
  await log.append(record('logs', 'a', 1));
  await log.append(record('logs', 'b', 1));
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 2, 'delivered');
  assert.deepEqual(server.attempts.map((a) => [a.mode, a.batchId]), [
    ['error', 'inst-server-1-2'], ['reset', 'inst-server-1-2'], ['error', 'inst-server-1-2'], ['ok', 'inst-server-1-2'],
  ]);
  assert.deepEqual(server.storedIds(), ['inst-server-1-2']);
  const s = exp.stats();
  assert.equal(s.requests, 4);
  assert.equal(s.retries, 3);
  assert.equal(s.failures, 3);
  assert.equal(s.state, 'idle');
  assert.match(s.lastError ?? '', /inst-server-1-2: destination answered HTTP 500/);
  await exp.close();
  await log.close();
});

test('503 with Retry-After is honoured instead of the backoff', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.plan.push('unavailable');
  server.retryAfterSeconds = 1;
  await log.append(record('metrics', 'a', 2));
  const exp = createOtlpHttpExporter(log, options(server.url, { retry: { initialDelayMs: 5, maxDelayMs: 10 } }));
  await exp.start();
  await waitFor(() => server.attempts.length === 1, 'first attempt');
  await waitFor(() => exp.stats().state === 'retrying', 'retrying');
  await waitFor(() => exp.stats().sentRecords === 1, 'delivered', 5000);
  const [first, second] = server.attempts;
  assert.equal(second.batchId, first.batchId);
  assert.ok(second.at - first.at >= 950, `waited ${second.at - first.at} ms, Retry-After said 1 s`);
  assert.equal(exp.stats().failures, 1);
  await exp.close();
  await log.close();
});

test('400 drops the batch (counted, acked) and delivery moves on', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.plan.push('bad');
  for (const tag of ['a', 'b', 'c', 'd']) await log.append(record('logs', tag, 1));
  const exp = createOtlpHttpExporter(log, options(server.url, { maxBatchRecords: 2 }));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 2, 'second batch delivered');
  assert.deepEqual(server.attempts.map((a) => [a.mode, a.batchId]), [['bad', 'inst-server-1-2'], ['ok', 'inst-server-3-4']]);
  assert.deepEqual(server.storedIds(), ['inst-server-3-4']);
  const s = exp.stats();
  assert.equal(s.droppedRecords, 2);
  assert.equal(s.failures, 1);
  assert.equal(s.retries, 0);
  assert.equal(s.pendingRecords, 0);
  assert.match(s.lastError ?? '', /HTTP 400: test: bad data/);
  assert.equal(log.stats().cursors.server.acked, 4);
  await exp.close();
  await log.close();
});

test('a request that times out is aborted and resent under the same id', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.plan.push('hang'); // stores the batch, never answers
  await log.append(record('traces', 'a', 1));
  const exp = createOtlpHttpExporter(log, options(server.url, { timeoutMs: 300 }));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 1, 'delivered');
  assert.deepEqual(server.attempts.map((a) => [a.mode, a.batchId]), [['hang', 'inst-server-1-1'], ['ok', 'inst-server-1-1']]);
  assert.deepEqual(server.storedIds(), ['inst-server-1-1']);
  assert.equal(server.duplicates, 1);
  assert.match(exp.stats().lastError ?? '', /timed out after 300 ms/);
  await exp.close();
  await log.close();
});

test('destination down, then up: everything arrives, in order', async (t) => {
  const log = await openLog(await tempDir(t));
  const port = await freePort();
  for (let i = 1; i <= 5; i++) await log.append(record('logs', `r${i}`, 1, { receivedAtMs: Date.now() - 2000 }));
  const exp = createOtlpHttpExporter(log, options(`http://127.0.0.1:${port}`, { maxBatchRecords: 2 }));
  await exp.start();
  await waitFor(() => exp.stats().failures >= 3, 'failed attempts');
  let s = exp.stats();
  assert.equal(s.state, 'retrying');
  assert.equal(s.pendingRecords, 5);
  assert.equal(s.sentRecords, 0);
  assert.ok(s.lagMs >= 2000, `lag ${s.lagMs}`);
  assert.match(s.lastError ?? '', /ECONNREFUSED/);

  const server = await TestServer.start(port);
  t.after(() => server.stop());
  await waitFor(() => exp.stats().sentRecords === 5, 'delivered after the destination came up');
  assert.deepEqual(server.storedIds(), ['inst-server-1-2', 'inst-server-3-4', 'inst-server-5-5']);
  assert.deepEqual(server.stored.flatMap(tagsOf), ['r1', 'r2', 'r3', 'r4', 'r5']);
  assert.equal(server.duplicates, 0);
  s = exp.stats();
  assert.equal(s.lagMs, 0);
  assert.equal(s.pendingRecords, 0);
  assert.equal(s.requests, s.failures + 3);
  await exp.close();
  await log.close();
});

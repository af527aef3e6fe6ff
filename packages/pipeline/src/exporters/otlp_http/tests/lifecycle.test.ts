import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOtlpHttpExporter } from '../index.js';
import { freePort, openLog, options, record, tagsOf, tempDir, TestServer, waitFor } from './helpers.js';

test('two destinations on one disk log: a down one holds back neither the other nor its own data', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 4096 });
  const up = await TestServer.start();
  t.after(() => up.stop());
  const downPort = await freePort();
  const a = createOtlpHttpExporter(log, options(up.url, { name: 'a', maxBatchRecords: 4 }));
  const b = createOtlpHttpExporter(log, options(`http://127.0.0.1:${downPort}`, { name: 'b', maxBatchRecords: 4 }));
  await a.start();
  await b.start();
  const tags = Array.from({ length: 30 }, (_, i) => `r${i + 1}`);
  for (const tag of tags) await log.append(record('logs', tag, 1, { pad: 300 }));

  await waitFor(() => a.stats().sentRecords === 30, 'a delivered everything');
  assert.deepEqual(up.stored.flatMap(tagsOf), tags);
  assert.ok(up.storedIds().every((id) => id.startsWith('inst-a-')));
  assert.ok(b.stats().failures > 0);
  assert.equal(b.stats().sentRecords, 0);
  assert.equal(b.stats().pendingRecords, 30);
  const held = log.stats();
  assert.ok(held.segments > 2, `segments kept for b: ${held.segments}`);
  assert.equal(held.cursors.a.acked, 30);
  assert.equal(held.cursors.b.acked, 0);

  const late = await TestServer.start(downPort);
  t.after(() => late.stop());
  await waitFor(() => b.stats().sentRecords === 30, 'b delivered everything once its destination came up');
  assert.deepEqual(late.stored.flatMap(tagsOf), tags);
  assert.ok(late.storedIds().every((id) => id.startsWith('inst-b-')));
  await waitFor(() => log.stats().segments === 1, 'segments collected once both cursors acked');
  await a.close();
  await b.close();
  await log.close();
});

test('close with a hanging destination returns within its deadline; close is idempotent', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.mode = 'hang';
  await log.append(record('logs', 'a', 1));
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => server.attempts.length === 1, 'request in flight');
  assert.equal(exp.stats().state, 'sending');
  const t0 = Date.now();
  const closing = exp.close({ deadlineMs: 300 });
  assert.equal(exp.close(), closing);
  await closing;
  const took = Date.now() - t0;
  assert.ok(took >= 250 && took < 2000, `close took ${took} ms`);
  assert.equal(exp.stats().state, 'closed');
  assert.equal(exp.stats().sentRecords, 0);
  assert.equal(exp.stats().failures, 0); // the abort is ours, not the destination's
  assert.equal(log.stats().cursors.server.acked, 0);
  await assert.rejects(exp.start(), /closed/);
  await log.close();
});

test('close lets the request in flight finish within the deadline and waits for its ack', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.plan.push('hang');
  await log.append(record('logs', 'a', 1));
  const exp = createOtlpHttpExporter(log, options(server.url, { timeoutMs: 200 }));
  await exp.start();
  await waitFor(() => server.attempts.length === 1, 'request in flight');
  // close stops retries: only the attempt in flight may finish. It times out (200 ms), so the batch stays unacked.
  await exp.close({ deadlineMs: 5000 });
  assert.equal(log.stats().cursors.server.acked, 0);
  assert.equal(exp.stats().failures, 1);

  // An attempt that succeeds during close is acked (persisted) before close resolves.
  const slow = await TestServer.start();
  t.after(() => slow.stop());
  const log2 = await openLog(await tempDir(t));
  await log2.append(record('logs', 'b', 1));
  let release = (): void => {};
  const gate = new Promise<void>((r) => { release = r; });
  const consume = slow.consume.bind(slow);
  slow.consume = async (signal, req, id) => {
    await gate;
    return consume(signal, req, id);
  };
  const exp2 = createOtlpHttpExporter(log2, options(slow.url));
  await exp2.start();
  await waitFor(() => exp2.stats().state === 'sending', 'request in flight');
  const closing = exp2.close({ deadlineMs: 5000 });
  setTimeout(release, 100);
  await closing;
  assert.equal(exp2.stats().sentRecords, 1);
  assert.equal(log2.stats().cursors.server.acked, 1);
  await log2.close();
  await log.close();
});

test('close when idle or never started is immediate', async (t) => {
  const log = await openLog(await tempDir(t));
  const idle = createOtlpHttpExporter(log, options('http://127.0.0.1:9', { name: 'idle' }));
  await idle.start();
  let t0 = Date.now();
  await idle.close();
  assert.ok(Date.now() - t0 < 500);
  const never = createOtlpHttpExporter(log, options('http://127.0.0.1:9', { name: 'never' }));
  t0 = Date.now();
  await never.close();
  assert.ok(Date.now() - t0 < 500);
  assert.equal(never.stats().state, 'closed');
  await log.close();
});

test('one exporter per cursor name and disk log; bad config fails at creation', async (t) => {
  const log = await openLog(await tempDir(t));
  const one = createOtlpHttpExporter(log, options('http://127.0.0.1:9'));
  await one.start();
  const two = createOtlpHttpExporter(log, options('http://127.0.0.1:9'));
  await assert.rejects(two.start(), /another exporter named server/);
  await one.close();
  const three = createOtlpHttpExporter(log, options('http://127.0.0.1:9'));
  await three.start(); // allowed once the first is closed
  await three.close();
  await two.close();
  assert.throws(() => createOtlpHttpExporter(log, options('ftp://x')), /http:\/\/ or https:\/\//);
  assert.throws(() => createOtlpHttpExporter(log, options('http://x', { name: '../x' })), /name/);
  await log.close();
});

test('stats: counters, pending records and lag while the destination is down and after', async (t) => {
  const log = await openLog(await tempDir(t));
  const port = await freePort();
  const receivedAtMs = Date.now() - 5000;
  await log.append(record('logs', 'a', 2, { receivedAtMs }));
  await log.append(record('logs', 'b', 3, { receivedAtMs: receivedAtMs + 1000 }));
  await log.append(record('traces', 'c', 4, { receivedAtMs: receivedAtMs + 2000 }));
  const exp = createOtlpHttpExporter(log, options(`http://127.0.0.1:${port}`));
  assert.equal(exp.stats().pendingRecords, 0); // before start: no cursor yet
  await exp.start();
  await waitFor(() => exp.stats().failures >= 2, 'failing');
  let s = exp.stats();
  assert.equal(s.state, 'retrying');
  assert.equal(s.pendingRecords, 3);
  assert.ok(s.lagMs >= 5000 && s.lagMs < 60_000, `lag ${s.lagMs}`);
  assert.equal(s.retries, s.requests - 1);
  assert.equal(s.sentRecords, 0);

  const server = await TestServer.start(port);
  t.after(() => server.stop());
  await waitFor(() => exp.stats().sentRecords === 2, 'the logs delivered');
  await waitFor(() => exp.stats().sentRecords === 3, 'the traces delivered');
  s = exp.stats();
  assert.equal(s.sentItems, 9);
  assert.equal(s.pendingRecords, 0);
  assert.equal(s.lagMs, 0);
  assert.equal(s.state, 'idle');
  assert.equal(s.requests, s.failures + 2);
  assert.equal(s.retries, s.failures);
  assert.ok(s.sentBytes > 0);
  assert.deepEqual(server.storedIds(), ['inst-server-1-2', 'inst-server-3-3']);
  await exp.close();
  await log.close();
});

test('a DiskLog closed under a running exporter stops it cleanly', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  await log.append(record('logs', 'a', 1));
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 1, 'delivered');
  await log.close();
  await waitFor(() => exp.stats().state === 'closed', 'stopped');
  assert.equal(exp.stats().lastError, 'the disk log was closed');
  await exp.close();
});

test('close with drain delivers the backlog before stopping; without drain it stops after the batch in flight', async (t) => {
  for (const drain of [true, false]) {
    const log = await openLog(await tempDir(t));
    const server = await TestServer.start();
    t.after(() => server.stop());
    const tags = Array.from({ length: 40 }, (_, i) => `d${i + 1}`);
    for (const tag of tags) await log.append(record('logs', tag, 1));
    const exp = createOtlpHttpExporter(log, options(server.url, { maxBatchRecords: 2 }));
    await exp.start();
    await waitFor(() => server.attempts.length >= 1, 'first request');
    await exp.close({ deadlineMs: 5000, drain });
    if (drain) {
      assert.deepEqual(server.stored.flatMap(tagsOf), tags, 'everything delivered, in order');
      assert.equal(log.stats().cursors.server.acked, 40);
    } else {
      assert.ok(server.stored.flatMap(tagsOf).length < 40, 'stopped before the end: the rest stays on disk');
      assert.ok(log.stats().cursors.server.acked < 40);
    }
    await log.close();
  }
});

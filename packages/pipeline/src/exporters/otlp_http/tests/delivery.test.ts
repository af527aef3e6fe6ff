import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Signal } from '@jobscope/otlp';
import { telemetryPayload } from '../../../buffer/telemetry-record.js';
import { createOtlpHttpExporter } from '../index.js';
import { expectedResources, openLog, options, record, resources, tagsOf, tempDir, TestServer, waitFor } from './helpers.js';

test('logs, traces and metrics arrive decoded intact, several records per request, signals never mixed', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  const parts: [Signal, string, number][] = [
    ['logs', 'a', 2], ['logs', 'b', 3], ['logs', 'c', 1],
    ['traces', 'd', 2], ['traces', 'e', 1],
    ['metrics', 'f', 2], ['metrics', 'g', 2],
    ['logs', 'h', 1],
  ];
  for (const [signal, tag, n] of parts) await log.append(record(signal, tag, n));
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 8, 'all records acked');

  assert.deepEqual(server.stored.map((s) => [s.signal, s.batchId]), [
    ['logs', 'inst-server-1-3'], ['traces', 'inst-server-4-5'], ['metrics', 'inst-server-6-7'], ['logs', 'inst-server-8-8'],
  ]);
  const [logs, traces, metrics, lastLogs] = server.stored;
  assert.deepEqual(resources('logs', logs.request), expectedResources('logs', [['a', 2], ['b', 3], ['c', 1]]));
  assert.deepEqual(resources('traces', traces.request), expectedResources('traces', [['d', 2], ['e', 1]]));
  assert.deepEqual(resources('metrics', metrics.request), expectedResources('metrics', [['f', 2], ['g', 2]]));
  assert.deepEqual(resources('logs', lastLogs.request), expectedResources('logs', [['h', 1]]));
  assert.deepEqual(server.encodings, ['gzip', 'gzip', 'gzip', 'gzip']);

  const s = exp.stats();
  assert.equal(s.sentItems, 14);
  assert.equal(s.requests, 4);
  assert.equal(s.retries, 0);
  assert.equal(s.failures, 0);
  assert.equal(s.droppedRecords, 0);
  assert.equal(s.rejectedItems, 0);
  assert.equal(s.pendingRecords, 0);
  assert.equal(s.lagMs, 0);
  assert.ok(s.sentBytes > 0);
  assert.equal(s.lastError, null);
  assert.equal(log.stats().cursors.server.acked, 8);
  await exp.close();
  assert.equal(exp.stats().state, 'closed');
  await log.close();
});

test('batches respect maxBatchRecords and maxBatchBytes; a record larger than maxBatchBytes goes alone', async (t) => {
  const server = await TestServer.start();
  t.after(() => server.stop());

  const log = await openLog(await tempDir(t));
  for (let i = 1; i <= 7; i++) await log.append(record('logs', `r${i}`, 1));
  const exp = createOtlpHttpExporter(log, options(server.url, { maxBatchRecords: 3 }));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 7, 'all records acked');
  assert.deepEqual(server.storedIds(), ['inst-server-1-3', 'inst-server-4-6', 'inst-server-7-7']);
  assert.deepEqual(server.stored.flatMap(tagsOf), ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
  await exp.close();
  await log.close();

  server.stored.length = 0;
  const log2 = await openLog(await tempDir(t));
  const small = record('logs', 's', 1);
  const big = record('logs', 'big', 1, { pad: 4000 });
  const maxBatchBytes = 2 * telemetryPayload(small).length + 10;
  assert.ok(telemetryPayload(big).length > maxBatchBytes);
  for (const r of [small, small, small, big, small, small]) await log2.append(r);
  const exp2 = createOtlpHttpExporter(log2, options(server.url, { maxBatchBytes }));
  await exp2.start();
  await waitFor(() => exp2.stats().sentRecords === 6, 'all records acked');
  assert.deepEqual(server.storedIds(), ['inst-server-1-2', 'inst-server-3-3', 'inst-server-4-4', 'inst-server-5-6']);
  await exp2.close();
  await log2.close();
});

test('lingers for more records after the first; compression none sends plain protobuf', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  const exp = createOtlpHttpExporter(log, options(server.url, { lingerMs: 600, compression: 'none' }));
  await exp.start();
  assert.equal(exp.stats().state, 'idle');
  await log.append(record('logs', 'first', 1, { receivedAtMs: Date.now() - 1000 }));
  await waitFor(() => exp.stats().lagMs >= 1000, 'the first record read'); // lingering: read, not sent
  await log.append(record('logs', 'second', 1));
  await waitFor(() => exp.stats().sentRecords === 2, 'both records acked');
  assert.deepEqual(server.storedIds(), ['inst-server-1-2']);
  assert.deepEqual(server.encodings, ['identity']);
  assert.deepEqual(resources('logs', server.stored[0].request), expectedResources('logs', [['first', 1], ['second', 1]]));
  assert.equal(exp.stats().lagMs, 0);
  await exp.close();
  await log.close();
});

test('unreadable records are skipped, counted and acked in order', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  await log.append(record('logs', 'a', 1));
  await log.append(Buffer.from('not a telemetry record'));
  await log.append(record('logs', 'b', 2));
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 2, 'the readable records acked');
  assert.deepEqual(server.storedIds(), ['inst-server-1-3']);
  assert.deepEqual(resources('logs', server.stored[0].request), expectedResources('logs', [['a', 1], ['b', 2]]));
  assert.equal(exp.stats().droppedRecords, 1);
  assert.equal(exp.stats().sentItems, 3);

  // A batch of unreadable records only: acked without a request.
  await log.append(Buffer.from([1, 9, 0, 0]));
  await waitFor(() => exp.stats().droppedRecords === 2, 'the second unreadable record dropped');
  await waitFor(() => log.stats().cursors.server.acked === 4, 'acked past it');
  assert.equal(exp.stats().requests, 1);
  assert.equal(exp.stats().pendingRecords, 0);
  await exp.close();
  await log.close();
});

test('an OTLP partial success is counted and the batch acked', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.mode = 'partial';
  await log.append(record('traces', 'a', 3));
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 1, 'acked');
  const s = exp.stats();
  assert.equal(s.rejectedItems, 1);
  assert.equal(s.sentItems, 3);
  assert.match(s.lastError ?? '', /rejected 1 items: test: one rejected/);
  await exp.close();
  await log.close();
});

test('headers are sent; batchIdHeader null sends no batch id', async (t) => {
  const log = await openLog(await tempDir(t));
  const server = await TestServer.start();
  t.after(() => server.stop());
  await log.append(record('logs', 'a', 1));
  const exp = createOtlpHttpExporter(log, options(server.url, { batchIdHeader: null, headers: { authorization: 'Bearer t' } }));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 1, 'acked');
  assert.deepEqual(server.storedIds(), ['']);
  assert.equal(server.headers[0].authorization, 'Bearer t');
  assert.equal(server.headers[0]['x-jobscope-batch-id'], undefined);
  assert.equal(server.headers[0]['content-type'], 'application/x-protobuf');
  await exp.close();
  await log.close();
});

import assert from 'node:assert/strict';
import { readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { createOtlpHttpExporter } from '../index.js';
import { openLog, options, record, tagsOf, tempDir, TestServer, waitFor } from './helpers.js';

/**
 * The destination receives (and stores) batch 1-3 but its answer never
 * comes; meanwhile 4-6 are buffered. The first exporter goes away before
 * the ack (closed at its deadline, or abandoned as in a crash); the next
 * one, on the reopened log and with a larger maxBatchRecords, must resend
 * exactly 1-3 under the same id before 4-6.
 */
async function receivedThenGone(t: { after(fn: () => Promise<void>): void }, crash: boolean): Promise<void> {
  const dir = await tempDir(t);
  const server = await TestServer.start();
  t.after(() => server.stop());
  server.plan.push('hang');
  const log1 = await openLog(dir);
  for (const tag of ['a', 'b', 'c']) await log1.append(record('logs', tag, 1));
  const first = createOtlpHttpExporter(log1, options(server.url, { maxBatchRecords: 3 }));
  await first.start();
  await waitFor(() => server.attempts.length === 1, 'the destination received the batch');
  for (const tag of ['d', 'e', 'f']) await log1.append(record('logs', tag, 1));
  assert.equal(first.stats().state, 'sending');
  const intent = JSON.parse(await readFile(join(dir, 'exporter-server.intent'), 'utf8'));
  assert.deepEqual([intent.firstSeq, intent.lastSeq], [1, 3]);

  if (!crash) {
    const t0 = Date.now();
    await first.close({ deadlineMs: 200 });
    assert.ok(Date.now() - t0 < 2000, `close took ${Date.now() - t0} ms`);
    assert.equal(log1.stats().cursors.server.acked, 0);
    await log1.close();
  }
  // else: log1 and `first` are abandoned, as after SIGKILL (the same pid may reopen the directory).

  const log2 = await openLog(dir);
  const second = createOtlpHttpExporter(log2, options(server.url));
  await second.start();
  await waitFor(() => second.stats().sentRecords === 6, 'everything delivered after the restart');
  assert.deepEqual(server.attempts.map((a) => a.batchId), ['inst-server-1-3', 'inst-server-1-3', 'inst-server-4-6']);
  assert.deepEqual(server.storedIds(), ['inst-server-1-3', 'inst-server-4-6']); // stored once by a dedup-by-id server
  assert.equal(server.duplicates, 1);
  assert.deepEqual(server.stored.flatMap(tagsOf), ['a', 'b', 'c', 'd', 'e', 'f']);
  if (crash) await first.close({ deadlineMs: 0 }); // abort its hanging request: it must not ack into log2's files
  await second.close();
  await log2.close();

  // The acked intent is stale now: a third start sends only what is new.
  const log3 = await openLog(dir);
  await log3.append(record('logs', 'g', 1));
  const third = createOtlpHttpExporter(log3, options(server.url));
  await third.start();
  await waitFor(() => third.stats().sentRecords === 1, 'the new record delivered');
  assert.deepEqual(server.storedIds(), ['inst-server-1-3', 'inst-server-4-6', 'inst-server-7-7']);
  assert.equal(server.attempts.length, 4);
  await third.close();
  await log3.close();
}

test('closed between receive and ack: the next start resends the same range under the same id', async (t) => {
  await receivedThenGone(t, false);
});

test('crashed between receive and ack: the next start resends the same range under the same id', async (t) => {
  await receivedThenGone(t, true);
});

test('records before the intent range form their own batches', async (t) => {
  const dir = await tempDir(t);
  const server = await TestServer.start();
  t.after(() => server.stop());
  const log = await openLog(dir);
  for (let i = 1; i <= 6; i++) await log.append(record('logs', `r${i}`, 1));
  await writeFile(join(dir, 'exporter-server.intent'), JSON.stringify({ v: 1, firstSeq: 3, lastSeq: 4 }));
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 6, 'delivered');
  assert.deepEqual(server.storedIds(), ['inst-server-1-2', 'inst-server-3-4', 'inst-server-5-6']);
  await exp.close();
  await log.close();
});

test('records lost from the intent range shrink it (and its id)', async (t) => {
  const dir = await tempDir(t);
  const server = await TestServer.start();
  t.after(() => server.stop());
  // One record per segment file, so deleting a file loses exactly one record.
  const segmentBytes = 1200;
  let log = await openLog(dir, { segmentBytes });
  for (let i = 1; i <= 6; i++) await log.append(record('logs', `r${i}`, 1, { pad: 700 }));
  await log.close();
  const segs = (await readdir(dir)).filter((f) => f.endsWith('.seg')).sort();
  assert.equal(segs.length, 6);
  await unlink(join(dir, segs[2] as string)); // record 3
  await writeFile(join(dir, 'exporter-server.intent'), JSON.stringify({ v: 1, firstSeq: 3, lastSeq: 5 }));

  log = await openLog(dir, { segmentBytes });
  const exp = createOtlpHttpExporter(log, options(server.url));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 5, 'delivered');
  assert.deepEqual(server.storedIds(), ['inst-server-1-2', 'inst-server-4-5', 'inst-server-6-6']);
  assert.deepEqual(server.stored.flatMap(tagsOf), ['r1', 'r2', 'r4', 'r5', 'r6']);
  assert.equal(log.stats().cursors.server.acked, 6);
  await exp.close();
  await log.close();
});

test('an intent past the end of the log (records lost at the tail) is void: reused seqs are not forced into its id', async (t) => {
  const dir = await tempDir(t);
  const server = await TestServer.start();
  t.after(() => server.stop());
  const log = await openLog(dir);
  for (let i = 1; i <= 3; i++) await log.append(record('logs', `r${i}`, 1));
  await writeFile(join(dir, 'exporter-server.intent'), JSON.stringify({ v: 1, firstSeq: 5, lastSeq: 8 }));
  const exp = createOtlpHttpExporter(log, options(server.url, { lingerMs: 0 }));
  await exp.start();
  await waitFor(() => exp.stats().sentRecords === 3, 'the first records delivered');
  // Seqs 4-8 now, in one append (all visible at once): without the check they would form 4-4 and 5-8.
  await log.append([4, 5, 6, 7, 8].map((i) => record('logs', `r${i}`, 1)));
  await waitFor(() => exp.stats().sentRecords === 8, 'everything delivered');
  assert.deepEqual(server.storedIds(), ['inst-server-1-3', 'inst-server-4-8']);
  assert.deepEqual(server.stored.flatMap(tagsOf), ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8']);
  await exp.close();
  await log.close();
});

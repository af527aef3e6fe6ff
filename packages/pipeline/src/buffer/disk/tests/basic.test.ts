import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { DiskLogRecordTooLargeError } from '../errors.js';
import { FRAME_HEADER_BYTES, parseSegmentFileName } from '../format.js';
import { appendN, indexOf, openLog, payload, range, readAll, segmentFiles, seqs, tempDir } from './helpers.js';

test('append returns monotonic seqs; a cursor reads them in order', async (t) => {
  const log = await openLog(await tempDir(t));
  assert.equal(await log.append(payload(1)), 1);
  assert.equal(await log.append([payload(2), payload(3)]), 3);
  assert.equal(await log.append([]), 3);
  const c = await log.cursor('a');
  const recs = await readAll(c);
  assert.deepEqual(seqs(recs), [1, 2, 3]);
  assert.deepEqual(recs.map((r) => indexOf(r.payload)), [1, 2, 3]);
  assert.deepEqual(await c.read(), []);
  await log.close();
});

test('concurrent appends are serialized and get distinct ordered seqs', async (t) => {
  const log = await openLog(await tempDir(t));
  const results = await Promise.all(range(1, 200).map((i) => log.append(payload(i))));
  assert.deepEqual(results, range(1, 200));
  const recs = await readAll(await log.cursor('a'), 1000);
  assert.deepEqual(recs.map((r) => indexOf(r.payload)), range(1, 200));
  await log.close();
});

test('read honours maxRecords and maxBytes but always returns one record', async (t) => {
  const log = await openLog(await tempDir(t));
  await appendN(log, 1, 10, 100);
  const c = await log.cursor('a');
  assert.equal((await c.read(3, 1 << 20)).length, 3);
  assert.equal((await c.read(100, 250)).length, 2);
  assert.equal((await c.read(100, 10)).length, 1);
  assert.deepEqual(seqs(await readAll(c)), range(7, 10));
  await log.close();
});

test('segments roll over, stay under segmentBytes and are named by first seq', async (t) => {
  const dir = await tempDir(t);
  const log = await openLog(dir, { segmentBytes: 256 });
  await appendN(log, 1, 20, 40); // 56-byte frames, 4 per segment
  const files = await segmentFiles(dir);
  assert.equal(files.length, 5);
  assert.deepEqual(files.map(parseSegmentFileName), [1, 5, 9, 13, 17]);
  for (const f of files) assert.ok((await stat(join(dir, f))).size <= 256);
  assert.equal(log.stats().segments, 5);
  assert.equal(log.stats().bytesOnDisk, 20 * (FRAME_HEADER_BYTES + 40));
  assert.deepEqual(seqs(await readAll(await log.cursor('a'))), range(1, 20));
  await log.close();
});

test('one append larger than a segment is split across segments', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 256 });
  assert.equal(await log.append(range(1, 10).map((i) => payload(i))), 10);
  assert.equal(log.stats().segments, 3);
  assert.deepEqual(seqs(await readAll(await log.cursor('a'))), range(1, 10));
  await log.close();
});

test('acked segments are deleted, never the active one', async (t) => {
  const dir = await tempDir(t);
  const log = await openLog(dir, { segmentBytes: 256 });
  await appendN(log, 1, 10);
  const c = await log.cursor('a');
  const recs = await readAll(c);
  await c.ack(4);
  assert.deepEqual((await segmentFiles(dir)).map(parseSegmentFileName), [5, 9]);
  await c.ack(recs[recs.length - 1].seq);
  assert.deepEqual((await segmentFiles(dir)).map(parseSegmentFileName), [9]);
  assert.equal(log.stats().cursors.a.pending, 0);
  await log.close();
});

test('rewind redelivers everything after the last ack', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 256 });
  await appendN(log, 1, 12);
  const c = await log.cursor('a');
  assert.deepEqual(seqs(await c.read(5)), range(1, 5));
  await c.ack(3);
  assert.deepEqual(seqs(await c.read(5)), range(6, 10));
  c.rewind();
  assert.deepEqual(seqs(await readAll(c)), range(4, 12));
  c.rewind();
  assert.deepEqual(seqs(await readAll(c, 100)), range(4, 12));
  await log.close();
});

test('waitForData resolves on append and rejects on abort and close', async (t) => {
  const log = await openLog(await tempDir(t));
  const c = await log.cursor('a');
  const ac = new AbortController();
  const aborted = c.waitForData(ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(aborted, /stop/);
  let woke = false;
  const w = c.waitForData().then(() => { woke = true; });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(woke, false);
  await log.append(payload(1));
  await w;
  assert.equal(c.hasUnread(), true);
  await c.read();
  assert.equal(c.hasUnread(), false);
  const pending = assert.rejects(c.waitForData(), { name: 'DiskLogClosedError' });
  await log.close();
  await pending;
});

test('bad input is rejected without touching the log', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 256 });
  await assert.rejects(log.append(Buffer.alloc(256 - FRAME_HEADER_BYTES + 1)), DiskLogRecordTooLargeError);
  assert.equal(await log.append(Buffer.alloc(256 - FRAME_HEADER_BYTES)), 1);
  await assert.rejects(log.append(['nope' as unknown as Buffer]), TypeError);
  await assert.rejects(log.append(null as unknown as Buffer), TypeError);
  await assert.rejects(log.cursor('../evil'), { code: 'JS_CONFIG' });
  const c = await log.cursor('a');
  await assert.rejects(c.ack(5), RangeError);
  await log.close();
  await assert.rejects(log.append(payload(1)), { name: 'DiskLogClosedError' });
});

test('stats report bytes, segments and pending per cursor', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 256 });
  await appendN(log, 1, 6);
  const a = await log.cursor('a');
  await log.cursor('b');
  await a.read(2);
  await a.ack(2);
  const s = log.stats();
  assert.equal(s.lastSeq, 6);
  assert.equal(s.firstSeq, 1);
  assert.equal(s.segments, 2);
  assert.deepEqual(s.cursors, { a: { acked: 2, pending: 4 }, b: { acked: 0, pending: 6 } });
  await log.close();
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiskLogFullError } from '../errors.js';
import { FRAME_HEADER_BYTES } from '../format.js';
import { appendN, openLog, payload, range, readAll, segmentFiles, seqs, tempDir } from './helpers.js';

const FRAME = FRAME_HEADER_BYTES + 40;

test('maxBytes below segmentBytes is a config error', async (t) => {
  await assert.rejects(openLog(await tempDir(t), { maxBytes: 100, segmentBytes: 1024 }), { code: 'JS_CONFIG' });
  await assert.rejects(openLog(await tempDir(t), { fsync: 'sometimes' as 'never' }), { code: 'JS_CONFIG' });
});

test('a full log rejects with DiskLogFullError until acks free space', async (t) => {
  const dir = await tempDir(t);
  const log = await openLog(dir, { segmentBytes: 4 * FRAME, maxBytes: 12 * FRAME });
  const c = await log.cursor('a');
  await appendN(log, 1, 12);
  const err = await log.append(payload(13)).catch((e: unknown) => e);
  assert.ok(err instanceof DiskLogFullError);
  assert.equal(err.code, 'JS_OVERLOADED');
  assert.equal(err.status, 429);
  // all-or-nothing: a batch that does not fit is refused whole
  await assert.rejects(log.append([payload(13), payload(14)]), DiskLogFullError);
  assert.equal(log.stats().bytesOnDisk, 12 * FRAME);

  const space = log.waitForSpace(FRAME);
  await readAll(c);
  await c.ack(4);
  await space;
  assert.equal(await log.append(payload(13)), 13);
  assert.deepEqual(seqs(await readAll(c)), [13]);
  await log.close();
});

test('concurrent appends count against maxBytes before they are written', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 4 * FRAME, maxBytes: 8 * FRAME });
  const results = await Promise.allSettled(range(1, 10).map((i) => log.append(payload(i))));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 8);
  assert.ok(results.slice(8).every((r) => r.status === 'rejected' && r.reason instanceof DiskLogFullError));
  assert.ok(log.stats().bytesOnDisk <= 8 * FRAME);
  await log.close();
});

test('drop_oldest deletes whole oldest segments and counts unacked records', async (t) => {
  const dir = await tempDir(t);
  const log = await openLog(dir, { segmentBytes: 4 * FRAME, maxBytes: 12 * FRAME, onFull: 'drop_oldest' });
  const c = await log.cursor('a');
  await appendN(log, 1, 12);
  assert.deepEqual(seqs(await c.read(2)), [1, 2]);
  await c.ack(2);
  assert.equal(await log.append(payload(13)), 13);
  assert.equal(log.stats().droppedRecords, 2); // 3 and 4 were never acked
  assert.equal(log.stats().droppedSegments, 1);
  assert.ok(log.stats().bytesOnDisk <= 12 * FRAME);
  assert.equal((await segmentFiles(dir)).length, 3);
  // the cursor continues at the oldest record left
  assert.deepEqual(seqs(await readAll(c)), range(5, 13));
  await appendN(log, 14, 8);
  assert.equal(log.stats().droppedRecords, 2 + 4 + 4);
  assert.equal(log.stats().corruptRecords, 0);
  assert.deepEqual(seqs(await readAll(c)), range(14, 21));
  await log.close();
});

test('drop_oldest without any cursor counts every dropped record', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 4 * FRAME, maxBytes: 8 * FRAME, onFull: 'drop_oldest' });
  await appendN(log, 1, 20);
  const s = log.stats();
  assert.equal(s.droppedRecords, 12);
  assert.ok(s.bytesOnDisk <= 8 * FRAME);
  assert.deepEqual(seqs(await readAll(await log.cursor('late'))), range(13, 20));
  await log.close();
});

test('drop_oldest with a single segment rolls it over first', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: 4 * FRAME, maxBytes: 4 * FRAME, onFull: 'drop_oldest' });
  await appendN(log, 1, 5);
  assert.equal(log.stats().droppedRecords, 4);
  assert.deepEqual(seqs(await readAll(await log.cursor('a'))), [5]);
  await assert.rejects(log.append(range(1, 5).map((i) => payload(i))), DiskLogFullError); // larger than maxBytes
  await log.close();
});

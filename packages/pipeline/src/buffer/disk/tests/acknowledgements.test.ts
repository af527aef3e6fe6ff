import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseSegmentFileName } from '../format.js';
import { appendN, openLog, range, readAll, segmentFiles, seqs, tempDir } from './helpers.js';

const SEG = 4 * 56;

async function firsts(dir: string): Promise<number[]> {
  return (await segmentFiles(dir)).map((f) => parseSegmentFileName(f) as number);
}

test('a segment is deleted only when both cursors acked it', async (t) => {
  const dir = await tempDir(t);
  const log = await openLog(dir, { segmentBytes: SEG });
  const a = await log.cursor('a');
  const b = await log.cursor('b');
  await appendN(log, 1, 12);
  assert.deepEqual(seqs(await readAll(a)), range(1, 12));
  assert.deepEqual(seqs(await readAll(b)), range(1, 12));
  await a.ack(12);
  assert.deepEqual(await firsts(dir), [1, 5, 9]);
  await b.ack(3);
  assert.deepEqual(await firsts(dir), [1, 5, 9]);
  await b.ack(4);
  assert.deepEqual(await firsts(dir), [5, 9]);
  await b.ack(12);
  assert.deepEqual(await firsts(dir), [9]); // the active segment stays
  await log.close();
});

test('a cursor known only from its ledger still holds segments back', async (t) => {
  const dir = await tempDir(t);
  let log = await openLog(dir, { segmentBytes: SEG });
  await log.cursor('a');
  await log.cursor('b');
  await log.close();
  log = await openLog(dir, { segmentBytes: SEG });
  const a = await log.cursor('a'); // b is not opened in this process
  await appendN(log, 1, 12);
  await readAll(a);
  await a.ack(12);
  assert.deepEqual(await firsts(dir), [1, 5, 9]);
  assert.equal(log.stats().cursors.b.pending, 12);
  await log.removeCursor('b');
  assert.deepEqual(await firsts(dir), [9]);
  assert.equal(log.stats().cursors.b, undefined);
  await log.close();
});

test('acks are monotonic, persisted, and coalesced', async (t) => {
  const dir = await tempDir(t);
  const log = await openLog(dir, { segmentBytes: SEG });
  const a = await log.cursor('a');
  await appendN(log, 1, 12);
  await readAll(a);
  await Promise.all(range(1, 12).map((s) => a.ack(s)));
  await a.ack(5); // going back is a no-op
  assert.equal(a.acked, 12);
  assert.equal(a.persistedAcked, 12);
  assert.equal(JSON.parse(await readFile(join(dir, 'a.cursor'), 'utf8')).acked, 12);
  await log.close();
});

test('acking ahead of reads skips the acked records', async (t) => {
  const log = await openLog(await tempDir(t), { segmentBytes: SEG });
  const a = await log.cursor('a');
  await appendN(log, 1, 12);
  assert.deepEqual(seqs(await a.read(2)), [1, 2]);
  await a.ack(6);
  assert.deepEqual(seqs(await readAll(a)), range(7, 12));
  await log.close();
});

test('unacked records are redelivered after reopen; acked ones are not', async (t) => {
  const dir = await tempDir(t);
  let log = await openLog(dir, { segmentBytes: SEG });
  let a = await log.cursor('a');
  let b = await log.cursor('b');
  await appendN(log, 1, 10);
  await readAll(a);
  await readAll(b);
  await a.ack(7);
  await b.ack(2);
  await log.close();
  log = await openLog(dir, { segmentBytes: SEG });
  a = await log.cursor('a');
  b = await log.cursor('b');
  assert.deepEqual(seqs(await readAll(a)), range(8, 10));
  assert.deepEqual(seqs(await readAll(b)), range(3, 10));
  await log.close();
});

import assert from 'node:assert/strict';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CorruptionEvent } from '../config.js';
import { FRAME_HEADER_BYTES, segmentFileName } from '../format.js';
import { appendN, indexOf, openLog, payload, range, readAll, segmentFiles, seqs, tempDir } from './helpers.js';

const FRAME = FRAME_HEADER_BYTES + 40; // helpers' default payload is 40 bytes

async function flipByte(path: string, offset: number): Promise<void> {
  const buf = await readFile(path);
  buf[offset] ^= 0x5a;
  await writeFile(path, buf);
}

/** 12 records, 4 per segment (segments 1, 5, 9), closed cleanly. */
async function threeSegments(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const dir = await tempDir(t);
  const log = await openLog(dir, { segmentBytes: 4 * FRAME });
  await appendN(log, 1, 12);
  await log.close();
  return dir;
}

test('a torn tail is truncated at every byte offset of the last record', async (t) => {
  const src = await tempDir(t);
  let log = await openLog(src, { segmentBytes: 1 << 20 });
  await appendN(log, 1, 5);
  await log.close();
  const [name] = await segmentFiles(src);
  const whole = await readFile(join(src, name));
  const lastStart = 4 * FRAME;
  for (let cut = lastStart; cut < whole.length; cut++) {
    const dir = await tempDir(t);
    await writeFile(join(dir, name), whole.subarray(0, cut));
    log = await openLog(dir, { segmentBytes: 1 << 20 });
    assert.equal(log.lastSeq, 4, `cut at ${cut}`);
    assert.equal(log.stats().truncatedBytes, cut - lastStart);
    assert.equal(await log.append(payload(5)), 5);
    const recs = await readAll(await log.cursor('a'));
    assert.deepEqual(seqs(recs), range(1, 5));
    assert.deepEqual(recs.map((r) => indexOf(r.payload)), range(1, 5));
    await log.close();
  }
});

for (const [what, at] of [['payload', FRAME_HEADER_BYTES + 3], ['length field', 5], ['seq field', 9], ['crc field', 0]] as const) {
  test(`a flipped byte in a middle record's ${what} is skipped and counted once`, async (t) => {
    const dir = await threeSegments(t);
    const files = await segmentFiles(dir);
    await flipByte(join(dir, files[0]), FRAME + at); // record 2
    const events: CorruptionEvent[] = [];
    const log = await openLog(dir, { segmentBytes: 4 * FRAME, onCorruption: (e) => events.push(e) });
    assert.equal(log.stats().truncatedBytes, 0);
    const expected = [1, ...range(3, 12)];
    const a = await readAll(await log.cursor('a'));
    assert.deepEqual(seqs(a), expected);
    assert.deepEqual(a.map((r) => indexOf(r.payload)), expected);
    assert.deepEqual(seqs(await readAll(await log.cursor('b'), 100)), expected);
    assert.equal(events.length, 1);
    assert.deepEqual({ ...events[0], reason: '' }, {
      segment: join(dir, files[0]), offset: FRAME, reason: '', fromSeq: 2, toSeq: 2, records: 1,
    });
    assert.equal(log.stats().corruptRecords, 1);
    assert.equal(log.stats().corruptRegions, 1);
    await log.close();
  });
}

test('corruption in the middle of the newest segment is skipped, not truncated', async (t) => {
  const dir = await threeSegments(t);
  const files = await segmentFiles(dir);
  await flipByte(join(dir, files[2]), FRAME + 20); // record 10
  const log = await openLog(dir, { segmentBytes: 4 * FRAME });
  assert.equal(log.stats().truncatedBytes, 0);
  assert.equal(log.lastSeq, 12);
  assert.equal(await log.append(payload(13)), 13);
  assert.deepEqual(seqs(await readAll(await log.cursor('a'))), [...range(1, 9), ...range(11, 13)]);
  assert.equal(log.stats().corruptRecords, 1);
  await log.close();
});

test('an empty newest segment (crash right after roll-over) is reused', async (t) => {
  const dir = await threeSegments(t);
  await writeFile(join(dir, segmentFileName(13)), '');
  const log = await openLog(dir, { segmentBytes: 4 * FRAME });
  assert.equal(log.lastSeq, 12);
  assert.equal(await log.append(payload(13)), 13);
  assert.deepEqual(seqs(await readAll(await log.cursor('a'))), range(1, 13));
  assert.equal(log.stats().segments, 4);
  await log.close();
});

test('a zero-length middle segment is reported as missing records', async (t) => {
  const dir = await threeSegments(t);
  const files = await segmentFiles(dir);
  await truncate(join(dir, files[1]), 0);
  const events: CorruptionEvent[] = [];
  const log = await openLog(dir, { segmentBytes: 4 * FRAME, onCorruption: (e) => events.push(e) });
  assert.deepEqual(seqs(await readAll(await log.cursor('a'))), [...range(1, 4), ...range(9, 12)]);
  assert.deepEqual(events.map((e) => [e.fromSeq, e.toSeq, e.records]), [[5, 8, 4]]);
  await log.close();
});

test('foreign files are ignored and a garbage newest segment is truncated', async (t) => {
  const dir = await threeSegments(t);
  await writeFile(join(dir, 'notes.txt'), 'hello');
  await writeFile(join(dir, '12.seg'), 'not a segment name');
  await writeFile(join(dir, '9999999999999999.seg'), 'beyond the safe integer range');
  const garbage = Buffer.alloc(1000);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 0xff;
  await writeFile(join(dir, segmentFileName(100)), garbage);
  const log = await openLog(dir, { segmentBytes: 4 * FRAME });
  assert.equal(log.stats().truncatedBytes, 1000);
  assert.equal(await log.append(payload(100)), 100);
  const recs = await readAll(await log.cursor('a'));
  assert.deepEqual(seqs(recs), [...range(1, 12), 100]);
  assert.equal(log.stats().corruptRecords, 87); // 13..99 never reached the disk
  await log.close();
});

test('an unreadable ledger replays everything (at-least-once)', async (t) => {
  const dir = await threeSegments(t);
  await writeFile(join(dir, 'a.cursor'), '{"acked": 7, "hint"');
  const log = await openLog(dir, { segmentBytes: 4 * FRAME });
  assert.deepEqual(seqs(await readAll(await log.cursor('a'))), range(1, 12));
  await log.close();
});

test('random single-byte damage never breaks open or read', async (t) => {
  let seed = 42;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let round = 0; round < 40; round++) {
    const dir = await threeSegments(t);
    const files = await segmentFiles(dir);
    const file = join(dir, files[rand(files.length)]);
    await flipByte(file, rand(4 * FRAME));
    const log = await openLog(dir, { segmentBytes: 4 * FRAME });
    const recs = await readAll(await log.cursor('a'));
    const got = seqs(recs);
    assert.ok(got.length >= 11, `round ${round}: only ${got.length} records`);
    assert.deepEqual(got, [...got].sort((x, y) => x - y));
    for (const r of recs) assert.equal(indexOf(r.payload), r.seq);
    const s = log.stats();
    assert.equal(got.length + s.corruptRecords + (12 - Math.min(12, log.lastSeq)), 12, `round ${round}`);
    await log.close();
  }
});

import assert from 'node:assert/strict';
import { readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { appendN, indexOf, openLog, range, readAll, segmentFiles, seqs, tempDir } from './helpers.js';

test('close and reopen keeps records, seqs and acked positions', async (t) => {
  const dir = await tempDir(t);
  let log = await openLog(dir, { segmentBytes: 256 });
  await appendN(log, 1, 10);
  let c = await log.cursor('a');
  await c.read(4);
  await c.ack(4);
  await log.close();

  log = await openLog(dir, { segmentBytes: 256 });
  assert.equal(log.lastSeq, 10);
  assert.equal(await log.append(Buffer.from('rec-11-')), 11);
  c = await log.cursor('a');
  assert.equal(c.acked, 4);
  const recs = await readAll(c);
  assert.deepEqual(seqs(recs), range(5, 11));
  assert.deepEqual(recs.map((r) => indexOf(r.payload)), range(5, 11));
  await log.close();
});

test('reopen without close (abandoned handles) gives back every resolved append', async (t) => {
  const dir = await tempDir(t);
  const first = await openLog(dir, { segmentBytes: 256 });
  await appendN(first, 1, 25);
  const c1 = await first.cursor('a');
  await c1.read(10);
  await c1.ack(10);
  // `first` is never closed: as after SIGKILL, only what reached the files counts.
  const log = await openLog(dir, { segmentBytes: 256 });
  assert.equal(log.lastSeq, 25);
  const c = await log.cursor('a');
  assert.deepEqual(seqs(await readAll(c)), range(11, 25));
  assert.equal(await log.append(Buffer.from('x')), 26);
  await log.close();
});

test('the ledger position hint is used and verified', async (t) => {
  const dir = await tempDir(t);
  let log = await openLog(dir, { segmentBytes: 4096 });
  await appendN(log, 1, 50);
  let c = await log.cursor('a');
  await c.read(20);
  await c.ack(20); // a whole batch: the hint points at record 20
  const ledger = JSON.parse(await readFile(join(dir, 'a.cursor'), 'utf8'));
  assert.equal(ledger.acked, 20);
  assert.equal(ledger.hint.seq, 20);
  await c.read(10);
  await c.ack(25); // inside a batch: the hint points at that batch's first record
  await log.close();
  assert.equal(JSON.parse(await readFile(join(dir, 'a.cursor'), 'utf8')).hint.seq, 21);

  log = await openLog(dir, { segmentBytes: 4096 });
  c = await log.cursor('a');
  assert.deepEqual(seqs(await readAll(c)), range(26, 50));
  await log.close();
});

test('a new cursor starts at the oldest record still on disk', async (t) => {
  const dir = await tempDir(t);
  let log = await openLog(dir, { segmentBytes: 256 });
  await appendN(log, 1, 12);
  const a = await log.cursor('a');
  await readAll(a);
  await a.ack(8);
  await log.close();
  log = await openLog(dir, { segmentBytes: 256 });
  assert.equal(log.firstSeq, 9);
  assert.deepEqual(seqs(await readAll(await log.cursor('late'))), range(9, 12));
  await log.close();
});

test('seqs are never reused, even when acked records were lost from disk', async (t) => {
  const dir = await tempDir(t);
  let log = await openLog(dir, { segmentBytes: 1 << 20 });
  await appendN(log, 1, 10);
  const a = await log.cursor('a');
  await readAll(a);
  await a.ack(10);
  await log.close();
  // Simulate a power loss that dropped the unsynced data but kept the ledger.
  const [seg] = await segmentFiles(dir);
  await truncate(join(dir, seg), 0);
  log = await openLog(dir, { segmentBytes: 1 << 20 });
  assert.equal(await log.append(Buffer.from('rec-11-')), 11);
  const c = await log.cursor('a');
  assert.deepEqual(seqs(await readAll(c)), [11]);
  await log.close();
});

test('a second live owner is refused', async (t) => {
  const dir = await tempDir(t);
  const log = await openLog(dir);
  await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'LOCK'), '1')); // pid 1 is alive
  await assert.rejects(openLog(dir), { code: 'JS_CONFIG' });
  await log.close();
});

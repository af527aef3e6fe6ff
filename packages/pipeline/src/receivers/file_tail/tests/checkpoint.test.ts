import assert from 'node:assert/strict';
import { chmod, readdir, rename, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { Collector, append, lines, names, readCheckpointFile, setup, sleep, tailer, waitFor } from './helpers.js';

test('restart from the checkpoint: only the lines written since are read', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 5));
  const c1 = new Collector();
  const r1 = tailer(s, c1.consumer);
  await r1.start();
  await waitFor(() => c1.records().length >= 5, 'first lines');
  await r1.close();
  const st = await stat(path, { bigint: true });
  assert.deepEqual(await readCheckpointFile(s.checkpointFile), [
    { dev: st.dev.toString(), ino: st.ino.toString(), path, offset: Number(st.size) },
  ]);
  assert.deepEqual((await readdir(dirname(s.checkpointFile))).sort(), ['file_tail.json'], 'no temp file left');

  await append(path, lines('l', 6, 8));
  const c2 = new Collector();
  const r2 = tailer(s, c2.consumer);
  await r2.start();
  await waitFor(() => c2.records().length >= 3, 'new lines');
  await sleep(100);
  assert.deepEqual(c2.bodies(), names('l', 6, 8));
});

test('an unfinished line at close is not emitted and is read whole after the restart', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 2) + 'half');
  const c1 = new Collector();
  const r1 = tailer(s, c1.consumer);
  await r1.start();
  await waitFor(() => c1.records().length >= 2, 'first lines');
  await sleep(60);
  await r1.close();
  assert.deepEqual(c1.bodies(), names('l', 1, 2));
  assert.equal((await readCheckpointFile(s.checkpointFile))[0].offset, Buffer.byteLength(lines('l', 1, 2)));
  await append(path, ' and half\n');
  const c2 = new Collector();
  await tailer(s, c2.consumer).start();
  await waitFor(() => c2.records().length >= 1, 'the completed line');
  assert.deepEqual(c2.bodies(), ['half and half']);
});

test('a file rotated while the agent is stopped: no line lost, none twice, old ones first', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'api-out.log');
  await writeFile(path, lines('l', 1, 5));
  const c1 = new Collector();
  const r1 = tailer(s, c1.consumer);
  await r1.start();
  await waitFor(() => c1.records().length >= 5, 'first lines');
  await r1.close();

  await append(path, lines('l', 6, 8) + 'l-9'); // unfinished last line of a finished file
  await rename(path, path + '.1');
  await writeFile(path, lines('l', 10, 12));
  const c2 = new Collector();
  const r2 = tailer(s, c2.consumer);
  await r2.start();
  await waitFor(() => c2.records().length >= 7, 'the rest of the old file and the new file');
  await sleep(150);
  assert.deepEqual(c2.bodies(), names('l', 6, 12));
  // The rest of the old file is attributed to the name it was read under.
  for (const rec of c2.records()) {
    assert.equal(rec.resource['log.file.path'], path);
    assert.equal(rec.resource['service.name'], 'api');
    assert.equal(rec.attributes.stream, 'stdout');
  }
  assert.equal(r2.stats().rotations, 1);
  await waitFor(async () => (await readCheckpointFile(s.checkpointFile)).length === 1, 'the old entry dropped');
  await r2.close();

  const c3 = new Collector();
  await tailer(s, c3.consumer).start();
  await sleep(200);
  assert.deepEqual(c3.bodies(), [], 'nothing again after another restart');
});

test('a file deleted while stopped is forgotten; one truncated while stopped is read from 0', async (t) => {
  const s = await setup(t);
  const gone = join(s.dir, 'gone.log');
  const cut = join(s.dir, 'cut.log');
  await writeFile(gone, lines('g', 1, 3));
  await writeFile(cut, lines('c', 1, 20));
  const c1 = new Collector();
  const r1 = tailer(s, c1.consumer);
  await r1.start();
  await waitFor(() => c1.records().length >= 23, 'first lines');
  await r1.close();
  await unlink(gone);
  await truncate(cut, 0);
  await append(cut, 'again-1\n');
  const c2 = new Collector();
  const r2 = tailer(s, c2.consumer);
  await r2.start();
  await waitFor(() => c2.records().length >= 1, 'the line of the truncated file');
  await sleep(100);
  assert.deepEqual(c2.bodies(), ['again-1']);
  assert.equal(r2.stats().truncations, 1);
  await waitFor(async () => (await readCheckpointFile(s.checkpointFile)).map((e) => e.path).join() === cut, 'only cut.log checkpointed');
});

test('the checkpoint is written after delivered batches, not only on close', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 50));
  const c = new Collector();
  await tailer(s, c.consumer, { maxBatchLines: 7 }).start();
  await waitFor(async () => (await readCheckpointFile(s.checkpointFile))[0]?.offset === Buffer.byteLength(lines('l', 1, 50)), 'checkpoint at the end');
  assert.equal(c.records().length, 50);
});

test("rotated while stopped with startAt 'end': the new file at that name is still read whole", async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 3));
  const c1 = new Collector();
  const r1 = tailer(s, c1.consumer, { startAt: 'end' });
  await r1.start();
  await append(path, lines('l', 4, 5));
  await waitFor(() => c1.records().length >= 2, 'lines after start');
  await r1.close();
  await append(path, lines('l', 6, 7));
  await rename(path, path + '.1');
  await writeFile(path, lines('l', 8, 9));
  await writeFile(join(s.dir, 'other.log'), lines('o', 1, 2)); // new, unknown: startAt 'end' applies
  const c2 = new Collector();
  const r2 = tailer(s, c2.consumer, { startAt: 'end' });
  await r2.start();
  await waitFor(() => c2.records().length >= 4, 'the rest and the new file');
  await sleep(150);
  assert.deepEqual(c1.bodies(), names('l', 4, 5));
  assert.deepEqual(c2.bodies(), names('l', 6, 9));
});

test('start() twice rejects; close() is idempotent and works before start()', async (t) => {
  const s = await setup(t);
  const c = new Collector();
  const r = tailer(s, c.consumer);
  await r.start();
  await assert.rejects(r.start(), /once/);
  await Promise.all([r.close(), r.close()]);
  await r.close();
  const r2 = tailer(s, c.consumer);
  await r2.close();
  await assert.rejects(r2.start(), /once/);
});

test('unreadable files are counted and retried at the next rescan', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, 'secret-1\n');
  await chmod(path, 0o000);
  const c = new Collector();
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => r.stats().errors >= 2, 'errors counted at each rescan');
  assert.equal(c.records().length, 0);
  await chmod(path, 0o644);
  await waitFor(() => c.records().length >= 1, 'read once readable');
  assert.deepEqual(c.bodies(), ['secret-1']);
});

import assert from 'node:assert/strict';
import { open, rename, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Collector, append, counts, lines, names, readCheckpointFile, setup, sleep, tailer, waitFor } from './helpers.js';

function assertOnce(bodies: string[], expected: string[]): void {
  const seen = counts(bodies);
  for (const e of expected) assert.equal(seen.get(e), 1, `${e} seen ${seen.get(e) ?? 0} times`);
  assert.equal(bodies.length, expected.length, `unexpected lines: ${bodies.filter((b) => !expected.includes(b)).join(', ')}`);
}

test('rotation by rename while running: the old file is read to its end, then the new one from 0', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 5));
  const c = new Collector();
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => c.records().length >= 5, 'first lines');
  // Written just before the rename (not yet read), with an unfinished last line: the old file is finished.
  await append(path, lines('l', 6, 10) + 'l-11');
  await rename(path, path + '.1');
  await writeFile(path, lines('l', 12, 15));
  await waitFor(() => c.records().length >= 15, 'all 15 lines');
  await append(path, lines('l', 16, 17));
  await waitFor(() => c.records().length >= 17, 'lines appended to the new file');
  await sleep(100);
  const bodies = c.bodies();
  assertOnce(bodies, names('l', 1, 17));
  assert.deepEqual(bodies, names('l', 1, 17), 'old lines first');
  assert.equal(r.stats().rotations, 1);
  assert.equal(r.stats().files, 1);
  // The rotated file's entry is gone once it is fully read (the glob does not match app.log.1).
  await waitFor(async () => (await readCheckpointFile(s.checkpointFile)).length === 1, 'one checkpoint entry');
  const [entry] = await readCheckpointFile(s.checkpointFile);
  assert.equal(entry.path, path);
  assert.equal(entry.offset, Buffer.byteLength(lines('l', 12, 17)));
});

test('rotation when the glob also matches rotated names: no line twice', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 5));
  const c = new Collector();
  const r = tailer(s, c.consumer, { include: [join(s.dir, 'app.log*')] });
  await r.start();
  await waitFor(() => c.records().length >= 5, 'first lines');
  for (let gen = 1; gen <= 3; gen++) {
    await append(path, lines(`g${gen}`, 1, 3));
    await rename(path, `${path}.${gen}`);
    await writeFile(path, lines(`n${gen}`, 1, 2));
    await waitFor(() => c.bodies().includes(`n${gen}-2`), `generation ${gen}`);
  }
  await append(`${path}.3`, 'late-1\n'); // the rotated file is still followed under its new name
  await waitFor(() => c.bodies().includes('late-1'), 'late line');
  await sleep(200);
  const expected = [...names('l', 1, 5)];
  for (let gen = 1; gen <= 3; gen++) expected.push(...names(`g${gen}`, 1, 3), ...names(`n${gen}`, 1, 2));
  expected.push('late-1');
  assertOnce(c.bodies(), expected);
});

test('rotation by truncation (copytruncate): read again from 0', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('before', 1, 5));
  const c = new Collector();
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => c.records().length >= 5, 'first lines');
  await truncate(path, 0);
  await append(path, 'after-1\nafter-2\n'); // shorter than what was read
  await waitFor(() => c.records().length >= 7, 'lines after the truncation');
  await sleep(100);
  assert.deepEqual(c.bodies(), [...names('before', 1, 5), 'after-1', 'after-2']);
  assert.equal(r.stats().truncations, 1);
  await waitFor(async () => (await readCheckpointFile(s.checkpointFile))[0]?.offset === Buffer.byteLength('after-1\nafter-2\n'), 'checkpoint');
});

test('a deleted file is read to its end through the open handle, then forgotten', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 3));
  const c = new Collector();
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => c.records().length >= 3, 'first lines');
  await append(path, lines('l', 4, 6) + 'l-7');
  await unlink(path);
  await waitFor(() => c.records().length >= 7, 'lines written before the delete');
  assert.deepEqual(c.bodies(), names('l', 1, 7));
  await waitFor(() => r.stats().files === 0, 'the file closed');
  await waitFor(async () => (await readCheckpointFile(s.checkpointFile)).length === 0, 'its checkpoint entry dropped');
  assert.equal(r.stats().rotations, 0);
});

test('continuous writes and rotations by a writer that keeps its fd open a moment: every line exactly once', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  let fh = await open(path, 'a');
  const c = new Collector();
  const r = tailer(s, c.consumer, { maxBatchLines: 17 });
  await r.start();
  let n = 0;
  for (let gen = 1; gen <= 5; gen++) {
    const first = n + 1;
    for (let i = 0; i < 200; i++) {
      await fh.write(`w-${++n}\n`);
      if (i % 50 === 0) await sleep(2);
    }
    // Polling cannot see a file that lives less than a poll interval at its name: let it be found.
    await waitFor(() => c.bodies().includes(`w-${first}`), `generation ${gen} found`);
    await rename(path, `${path}.${gen}`);
    for (let i = 0; i < 5; i++) await fh.write(`w-${++n}\n`); // not reopened yet: still the rotated file
    await fh.close();
    fh = await open(path, 'a');
  }
  await fh.write(`w-${++n}\n`);
  await fh.close();
  await waitFor(() => c.records().length >= n, 'all lines');
  await sleep(200);
  assertOnce(c.bodies(), names('w', 1, n));
  assert.equal(r.stats().rotations, 5);
});

test('a new file that rotates away while the old one is still being read is not lost', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('x1', 1, 300));
  const c = new Collector();
  c.gate = () => sleep(15); // slow downstream: the first file takes a while
  const r = tailer(s, c.consumer, { maxBatchLines: 10 });
  await r.start();
  await waitFor(() => c.records().length >= 10, 'reading started');
  await rename(path, `${path}.1`);
  await writeFile(path, lines('x2', 1, 20));
  await waitFor(() => r.stats().files === 2, 'the new file opened while the old one drains');
  assert.ok(c.records().length < 300, 'the old file is still being read');
  await rename(path, `${path}.2`);
  await writeFile(path, lines('x3', 1, 20));
  await waitFor(() => c.records().length >= 340, 'all lines', 15_000);
  await sleep(100);
  assert.deepEqual(c.bodies(), [...names('x1', 1, 300), ...names('x2', 1, 20), ...names('x3', 1, 20)]);
  assert.equal(r.stats().rotations, 2);
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { JobscopeError, PermanentError } from '@jobscope/core';
import { Collector, append, lines, names, readCheckpointFile, setup, sleep, tailer, waitFor } from './helpers.js';
import { retryAfterMs } from '../delivery.js';

function offsetNow(checkpointFile: string): number {
  try {
    const j = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { files: { offset: number }[] };
    return j.files[0]?.offset ?? 0;
  } catch {
    return 0;
  }
}

test('backpressure: the same batch is retried after retryAfter and delivered once; the checkpoint waits', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 5));
  const c = new Collector();
  const offsetsSeen: number[] = [];
  const callTimes: number[] = [];
  c.gate = (_t, call) => {
    offsetsSeen.push(offsetNow(s.checkpointFile));
    callTimes.push(Date.now());
    if (call <= 2) throw new JobscopeError('JS_OVERLOADED', 'full', { retryAfter: 0.05 });
  };
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => c.records().length >= 5, 'delivery');
  await waitFor(() => offsetNow(s.checkpointFile) === Buffer.byteLength(lines('l', 1, 5)), 'checkpoint advanced');
  assert.deepEqual(c.bodies(), names('l', 1, 5));
  assert.equal(c.batches.length, 1);
  assert.equal(c.calls, 3);
  assert.deepEqual(offsetsSeen, [0, 0, 0], 'not advanced while rejected');
  assert.ok(callTimes[1] - callTimes[0] >= 45 && callTimes[2] - callTimes[1] >= 45, 'waited retryAfter');
  assert.equal(r.stats().backpressureWaits, 2);
  assert.equal(r.stats().errors, 0);
  assert.equal(r.stats().lines, 5);
});

test('JS_UNAVAILABLE pauses the whole tail: no other file is read meanwhile', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'a.log'), 'a-1\n');
  await writeFile(join(s.dir, 'b.log'), 'b-1\n');
  const c = new Collector();
  let reject = true;
  const files: string[] = [];
  c.gate = (tel) => {
    files.push(String((tel.request as { resourceLogs: { resource: { attributes: Record<string, unknown> } }[] }).resourceLogs[0].resource.attributes['log.file.name']));
    if (reject) throw new JobscopeError('JS_UNAVAILABLE', 'down', { retryAfter: 0.02 });
  };
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => r.stats().backpressureWaits >= 5, 'pushed back');
  assert.equal(c.batches.length, 0);
  assert.ok(files.every((f) => f === 'a.log'), 'only the first batch is retried');
  reject = false;
  await waitFor(() => c.records().length >= 2, 'both delivered');
  assert.deepEqual(c.bodies(), ['a-1', 'b-1']);
});

test('other errors are counted and the batch is retried after 1 s', async (t) => {
  const s = await setup(t);
  await writeFile(join(s.dir, 'app.log'), lines('l', 1, 3));
  const c = new Collector();
  c.gate = (_t, call) => {
    if (call === 1) throw new Error('boom');
  };
  const r = tailer(s, c.consumer);
  const started = Date.now();
  await r.start();
  await waitFor(() => c.records().length >= 3, 'delivery');
  assert.ok(Date.now() - started >= 950);
  assert.deepEqual(c.bodies(), names('l', 1, 3));
  assert.equal(r.stats().errors, 1);
  assert.equal(r.stats().backpressureWaits, 0);
});

test('a PermanentError drops the batch (counted), the tail goes on', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('bad', 1, 2));
  const c = new Collector();
  c.gate = (_t, call) => {
    if (call === 1) throw new PermanentError('malformed');
  };
  const r = tailer(s, c.consumer);
  await r.start();
  await waitFor(() => r.stats().errors === 1, 'the drop');
  await append(path, 'good-1\n');
  await waitFor(() => c.records().length >= 1, 'the next line');
  assert.deepEqual(c.bodies(), ['good-1']);
  assert.equal(r.stats().lines, 1);
});

test('close() during backpressure returns promptly and keeps the batch for the next start', async (t) => {
  const s = await setup(t);
  const path = join(s.dir, 'app.log');
  await writeFile(path, lines('l', 1, 4));
  const c1 = new Collector();
  c1.gate = () => {
    throw new JobscopeError('JS_OVERLOADED', 'full', { retryAfter: 30 });
  };
  const r1 = tailer(s, c1.consumer);
  await r1.start();
  await waitFor(() => r1.stats().backpressureWaits >= 1, 'pushed back');
  const before = Date.now();
  await r1.close();
  assert.ok(Date.now() - before < 1000, 'close did not wait for retryAfter');
  assert.equal((await readCheckpointFile(s.checkpointFile))[0].offset, 0);
  const c2 = new Collector();
  await tailer(s, c2.consumer).start();
  await waitFor(() => c2.records().length >= 4, 'redelivery');
  await sleep(50);
  assert.deepEqual(c2.bodies(), names('l', 1, 4));
});

test('retryAfter: default 1 s, capped at 30 s', () => {
  assert.equal(retryAfterMs(undefined), 1000);
  assert.equal(retryAfterMs(0.05), 50);
  assert.equal(retryAfterMs(120), 30_000);
  assert.equal(retryAfterMs(-1), 1000);
  assert.equal(retryAfterMs(Number.NaN), 1000);
});

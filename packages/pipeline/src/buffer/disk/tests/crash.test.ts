import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FsyncPolicy } from '../config.js';
import { indexOf, openLog, readAll, tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));

interface ChildRun { appended: Map<number, number>; lastAck: number; }

/** Runs the child until it has appended a while, SIGKILLs it at a random moment, parses what it printed. */
async function runAndKill(dir: string, fsync: FsyncPolicy, firstIndex: number): Promise<ChildRun> {
  const child = spawn(process.execPath, [CHILD, dir, fsync, String(firstIndex)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => { text += d; });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const started = Date.now();
  while (!/\nA /.test(text) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
  child.kill('SIGKILL');
  await exited;
  const appended = new Map<number, number>();
  let lastAck = 0;
  const lines = text.split('\n');
  lines.pop(); // possibly incomplete
  for (const line of lines) {
    const [kind, a, b] = line.split(' ');
    if (kind === 'A') appended.set(Number(a), Number(b));
    else if (kind === 'K') lastAck = Math.max(lastAck, Number(a));
  }
  assert.ok(appended.size > 0, 'the child appended nothing');
  return { appended, lastAck };
}

for (const fsync of ['never', 'interval', 'always'] as const) {
  test(`SIGKILL during appends loses no resolved append (fsync=${fsync})`, async (t) => {
    const dir = await tempDir(t);
    // 'keep' never acks, so every record stays on disk and can be checked; the child's 'c' acks with a lag.
    const setup = await openLog(dir, { segmentBytes: 16 * 1024 });
    await setup.cursor('keep');
    await setup.close();
    const appended = new Map<number, number>();
    let nextIndex = 1;
    for (let round = 0; round < 3; round++) {
      const run = await runAndKill(dir, fsync, nextIndex);
      for (const [seq, i] of run.appended) {
        assert.ok(!appended.has(seq), `seq ${seq} handed out twice`);
        appended.set(seq, i);
        nextIndex = Math.max(nextIndex, i + 1);
      }
      nextIndex += 10_000; // indexes of unprinted appends are unknown: keep clear of them

      const log = await openLog(dir, { segmentBytes: 16 * 1024 });
      const c = await log.cursor('c');
      assert.ok(c.acked >= run.lastAck, `acked ${c.acked} < printed ack ${run.lastAck}`);
      const recs = await readAll(c, 500);
      for (let k = 1; k < recs.length; k++) assert.ok(recs[k].seq > recs[k - 1].seq, 'out of order or duplicate');
      const bySeq = new Map(recs.map((r) => [r.seq, indexOf(r.payload)]));
      for (const [seq, i] of appended) {
        if (seq > c.acked) assert.equal(bySeq.get(seq), i, `round ${round}: seq ${seq} (index ${i}) not read back by c`);
      }
      const all = await readAll(await log.cursor('keep'), 1000);
      for (let k = 1; k < all.length; k++) assert.ok(all[k].seq > all[k - 1].seq, 'out of order or duplicate');
      const everything = new Map(all.map((r) => [r.seq, indexOf(r.payload)]));
      for (const [seq, i] of appended) assert.equal(everything.get(seq), i, `round ${round}: seq ${seq} (index ${i}) lost`);
      assert.equal(log.stats().corruptRecords, 0);
      t.diagnostic(`round ${round}: ${appended.size} resolved appends checked, ${all.length} on disk, c acked ${c.acked}`);
      await log.close();
    }
  });
}

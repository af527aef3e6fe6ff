/**
 * Child process of crash.test.ts: appends (several appends in flight, some
 * batched) and reads/acks with a lag, forever, until SIGKILLed. After each
 * append resolves it prints `A <seq> <index>` per record, after each ack
 * resolves `K <seq>`. Pipes are written synchronously on Linux, so every
 * printed line was printed before the kill.
 *
 * usage: node crash-child.js <dir> <fsync> <first index>
 */
import { DiskLog } from '../disk-log.js';
import type { FsyncPolicy } from '../config.js';
import { payload } from './helpers.js';

const [dir, fsync, firstIndex] = process.argv.slice(2);
const log = await DiskLog.open({ dir, fsync: fsync as FsyncPolicy, fsyncIntervalMs: 5, maxBytes: 1 << 30, segmentBytes: 16 * 1024 });
const out = (line: string): void => { process.stdout.write(line + '\n'); };
let next = Number(firstIndex);

async function appender(): Promise<void> {
  for (;;) {
    const n = 1 + (next % 3); // 1..3 records per append
    const first = next;
    next += n;
    const batch = Array.from({ length: n }, (_, k) => payload(first + k, 20 + ((first + k) % 200)));
    const last = await log.append(n === 1 ? batch[0] : batch);
    out(Array.from({ length: n }, (_, k) => `A ${last - n + 1 + k} ${first + k}`).join('\n'));
  }
}

async function reader(): Promise<void> {
  const c = await log.cursor('c');
  const readBatches: number[] = [];
  for (;;) {
    await c.waitForData();
    const recs = await c.read(50);
    if (recs.length === 0) continue;
    readBatches.push(recs[recs.length - 1].seq);
    if (readBatches.length > 3) {
      const seq = readBatches.shift() as number;
      await c.ack(seq);
      out(`K ${seq}`);
    }
  }
}

out('ready');
void reader();
for (let i = 0; i < 4; i++) void appender();

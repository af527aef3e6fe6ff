/**
 * Append throughput of the disk log for 200-byte records.
 *
 *   node packages/pipeline/dist/buffer/disk/bench/append.bench.js [dir]
 *
 * Scenarios: single-record appends with many in flight (what concurrent
 * ingest requests do; group commit merges them), batches of 100 records per
 * append, and one append at a time awaited (the worst case: no merging), each
 * with fsync 'never' and 'always'. Prints one JSON line per scenario.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskLog } from '../disk-log.js';
import type { FsyncPolicy } from '../config.js';

const RECORD = Buffer.alloc(200, 'x');

type Shape = 'inflight-1000' | 'batch-100' | 'sequential';

async function scenario(base: string, fsync: FsyncPolicy, shape: Shape, records: number): Promise<void> {
  const dir = await mkdtemp(join(base, 'bench-'));
  const log = await DiskLog.open({ dir, fsync, maxBytes: 8 * 1024 ** 3, segmentBytes: 64 * 1024 * 1024 });
  const started = process.hrtime.bigint();
  if (shape === 'sequential') {
    for (let i = 0; i < records; i++) await log.append(RECORD);
  } else if (shape === 'batch-100') {
    const batch = Array.from({ length: 100 }, () => RECORD);
    const inflight: Promise<number>[] = [];
    for (let i = 0; i < records; i += 100) {
      inflight.push(log.append(batch));
      if (inflight.length >= 10) await inflight.shift();
    }
    await Promise.all(inflight);
  } else {
    const window: Promise<number>[] = [];
    for (let i = 0; i < records; i++) {
      window.push(log.append(RECORD));
      if (window.length >= 1000) await Promise.all(window.splice(0, 500));
    }
    await Promise.all(window);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await log.close();
  await rm(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ fsync, shape, records, seconds: +seconds.toFixed(3), recordsPerSecond: Math.round(records / seconds) }));
}

const base = process.argv[2] ?? tmpdir();
await scenario(base, 'never', 'inflight-1000', 500_000);
await scenario(base, 'never', 'batch-100', 1_000_000);
await scenario(base, 'never', 'sequential', 100_000);
await scenario(base, 'always', 'inflight-1000', 100_000);
await scenario(base, 'always', 'batch-100', 200_000);
await scenario(base, 'always', 'sequential', 2_000);

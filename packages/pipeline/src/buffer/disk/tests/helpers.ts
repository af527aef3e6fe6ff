/** Shared helpers of the disk log tests (not a test file itself). */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskLog } from '../disk-log.js';
import type { DiskLogOptions } from '../config.js';
import type { DiskLogCursor, LogRecord } from '../cursor.js';

export async function tempDir(t?: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'disklog-'));
  t?.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Deterministic payload that names its index: "rec-<i>-" padded to `size` bytes. */
export function payload(i: number, size = 40): Buffer {
  const head = `rec-${i}-`;
  return Buffer.from(head.padEnd(Math.max(size, head.length), 'x'));
}

export function indexOf(p: Buffer): number {
  return Number(p.toString('latin1').split('-')[1]);
}

export function openLog(dir: string, o: Partial<DiskLogOptions> = {}): Promise<DiskLog> {
  return DiskLog.open({ dir, maxBytes: 1 << 30, segmentBytes: 1024, fsync: 'never', ...o });
}

/** Reads until the cursor is at the end. */
export async function readAll(c: DiskLogCursor, maxRecords = 7, maxBytes = 1 << 20): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  for (;;) {
    const batch = await c.read(maxRecords, maxBytes);
    if (batch.length === 0) return out;
    out.push(...batch);
  }
}

export async function appendN(log: DiskLog, from: number, n: number, size = 40): Promise<number> {
  let last = 0;
  for (let i = from; i < from + n; i++) last = await log.append(payload(i, size));
  return last;
}

export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.seg')).sort();
}

export function seqs(records: readonly LogRecord[]): number[] {
  return records.map((r) => r.seq);
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/**
 * Cursor ledgers: one small JSON file per named cursor holding its
 * acknowledged seq and a position hint, replaced atomically (write
 * `<name>.cursor.tmp`, fsync it, rename over `<name>.cursor`, fsync the dir).
 *
 * The hint names a record that is <= acked and at or before the first
 * unacked one, so reopening a cursor need not scan its segment from the
 * start. It is only trusted after the record at that offset is read back
 * with a matching seq and CRC (see cursor.ts). An unreadable ledger counts
 * as "nothing acked": everything is replayed (at-least-once, never lost).
 */
import { open, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { JobscopeError } from '@jobscope/core';
import { CURSOR_SUFFIX } from './format.js';

export interface PositionHint {
  /** First seq (= file name) of the segment holding the record. */
  segment: number;
  offset: number;
  seq: number;
}

export interface LedgerState {
  acked: number;
  hint: PositionHint | null;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function checkCursorName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new JobscopeError('JS_CONFIG', `disk log: invalid cursor name ${JSON.stringify(name)} (letters, digits, _ . -)`);
  }
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export function parseLedger(text: string): LedgerState {
  try {
    const j = JSON.parse(text) as { acked?: unknown; hint?: { segment?: unknown; offset?: unknown; seq?: unknown } | null };
    const acked = isCount(j.acked) ? j.acked : 0;
    const h = j.hint;
    const hint = h && isCount(h.segment) && isCount(h.offset) && isCount(h.seq)
      ? { segment: h.segment, offset: h.offset, seq: h.seq }
      : null;
    return { acked, hint };
  } catch {
    return { acked: 0, hint: null };
  }
}

/** Loads every `<name>.cursor` file of the directory. */
export async function readLedgers(dir: string, names: readonly string[]): Promise<Map<string, LedgerState>> {
  const out = new Map<string, LedgerState>();
  for (const file of names) {
    if (!file.endsWith(CURSOR_SUFFIX)) continue;
    const name = file.slice(0, -CURSOR_SUFFIX.length);
    if (!NAME.test(name)) continue;
    out.set(name, parseLedger(await readFile(join(dir, file), 'utf8')));
  }
  return out;
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeLedger(dir: string, name: string, state: LedgerState, sync: boolean): Promise<void> {
  const path = join(dir, name + CURSOR_SUFFIX);
  const tmp = path + '.tmp';
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify({ v: 1, acked: state.acked, hint: state.hint }));
    if (sync) await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  if (sync) await syncDir(dir);
}

export async function removeLedger(dir: string, name: string, sync: boolean): Promise<void> {
  await unlink(join(dir, name + CURSOR_SUFFIX)).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  if (sync) await syncDir(dir);
}

/** Lists the directory (names only). */
export async function listDir(dir: string): Promise<string[]> {
  return readdir(dir);
}

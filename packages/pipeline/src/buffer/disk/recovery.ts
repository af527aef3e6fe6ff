/**
 * Opening a directory: list it, validate the tail of the newest segment and
 * truncate a torn or corrupt tail, and rebuild the O(segments) metadata.
 *
 * Only the newest segment is read (streaming, chunk by chunk): it is the only
 * one a crash can leave half-written, because the writer fsyncs a segment
 * before it starts the next one (unless fsync='never'). Older segments are
 * only stat()ed; corruption inside them is found and skipped by cursors.
 */
import { mkdir, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedOptions } from './config.js';
import { parseSegmentFileName, segmentFileName } from './format.js';
import { findNextFrame, readFrames, type FrameBounds } from './frame-reader.js';
import { listDir, readLedgers, syncDir, type LedgerState } from './ledger.js';
import { Segment, SegmentSet } from './segments.js';

export interface Recovered {
  segments: SegmentSet;
  /** Open read-write on the active (newest) segment, positioned by its size. */
  activeHandle: FileHandle;
  nextSeq: number;
  ledgers: Map<string, LedgerState>;
  /** Bytes cut from the tail of the newest segment. */
  truncatedBytes: number;
}

const SCAN_CHUNK = 1024 * 1024;

interface TailScan {
  validEnd: number;
  lastSeq: number;
}

/** Walks every frame of the newest segment; stops at the first invalid frame that no valid frame follows. */
async function scanTail(fh: FileHandle, seg: Segment, size: number, maxPayload: number): Promise<TailScan> {
  let at = 0;
  let lastSeq = seg.firstSeq - 1;
  while (at < size) {
    const bounds: FrameBounds = { minSeq: lastSeq + 1, maxSeq: Number.MAX_SAFE_INTEGER, maxPayload };
    const r = await readFrames(fh, at, size, bounds, Number.MAX_SAFE_INTEGER, SCAN_CHUNK);
    if (r.frames.length > 0) lastSeq = r.frames[r.frames.length - 1].seq;
    at = r.next;
    if (r.corrupt) {
      // A valid frame further on means the damage is in the middle: keep it, readers skip it.
      const found = await findNextFrame(fh, at + 1, size, { ...bounds, minSeq: lastSeq + 1 });
      if (found === null) return { validEnd: at, lastSeq };
      at = found;
    } else if (r.frames.length === 0) {
      break;
    }
  }
  return { validEnd: at, lastSeq };
}

export async function recover(opts: ResolvedOptions): Promise<Recovered> {
  const { dir } = opts;
  const sync = opts.fsync !== 'never';
  await mkdir(dir, { recursive: true });
  const names = await listDir(dir);
  for (const n of names) if (n.endsWith('.tmp')) await unlink(join(dir, n)).catch(() => {});

  const ledgers = await readLedgers(dir, names);
  let maxAcked = 0;
  for (const l of ledgers.values()) maxAcked = Math.max(maxAcked, l.acked);

  const firsts = names.map(parseSegmentFileName).filter((s): s is number => s !== null).sort((a, b) => a - b);
  const segments = new SegmentSet();

  if (firsts.length === 0) {
    const first = maxAcked + 1;
    const seg = new Segment(dir, first, 0, first - 1);
    const fh = await open(join(dir, segmentFileName(first)), 'wx');
    if (sync) await syncDir(dir);
    seg.active = true;
    segments.push(seg);
    return { segments, activeHandle: fh, nextSeq: first, ledgers, truncatedBytes: 0 };
  }

  for (let i = 0; i < firsts.length - 1; i++) {
    const seg = new Segment(dir, firsts[i], 0, firsts[i + 1] - 1);
    seg.size = (await stat(seg.path)).size;
    segments.push(seg);
  }

  const last = new Segment(dir, firsts[firsts.length - 1], 0, 0);
  const fh = await open(last.path, 'r+');
  let truncatedBytes = 0;
  try {
    const size = (await fh.stat()).size;
    const tail = await scanTail(fh, last, size, opts.maxPayload);
    if (tail.validEnd < size) {
      truncatedBytes = size - tail.validEnd;
      await fh.truncate(tail.validEnd);
      if (sync) await fh.datasync();
    }
    last.size = tail.validEnd;
    last.lastSeq = tail.lastSeq;
  } catch (e) {
    await fh.close();
    throw e;
  }
  last.active = true;
  segments.push(last);
  // Never reuse a seq a cursor has acknowledged, even if its record was lost with the page cache.
  const nextSeq = Math.max(last.lastSeq + 1, last.firstSeq, maxAcked + 1);
  return { segments, activeHandle: fh, nextSeq, ledgers, truncatedBytes };
}

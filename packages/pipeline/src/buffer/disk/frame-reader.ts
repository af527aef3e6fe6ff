/**
 * Streaming frame parsing from a segment file: read a bounded chunk, return
 * the complete, valid frames in it, and stop at the first invalid one. Used
 * by recovery (tail validation at open) and by cursors; neither ever holds
 * more than one chunk (or one record, if larger) in memory.
 */
import type { FileHandle } from 'node:fs/promises';
import { FRAME_HEADER_BYTES, frameCrcOk, frameLength, frameSeq } from './format.js';

export interface Frame {
  seq: number;
  /** Byte offset of the frame's header in its segment file. */
  offset: number;
  payload: Buffer;
}

/** What a valid frame must look like at this point of a segment. */
export interface FrameBounds {
  /** Smallest acceptable seq (previous frame's seq + 1, or the file's first seq). */
  minSeq: number;
  /** Largest acceptable seq (next file's first seq - 1, or unbounded). */
  maxSeq: number;
  maxPayload: number;
}

export interface ReadOutcome {
  frames: Frame[];
  /** Offset right after the last returned frame (where the next read starts). */
  next: number;
  /** Set when the frame at `next` is invalid. */
  corrupt: { offset: number; reason: string } | null;
}

const MIN_CHUNK = 64 * 1024;
const MAX_CHUNK = 8 * 1024 * 1024;
const RESYNC_CHUNK = 1024 * 1024;

/** Reads up to buf.length bytes at `position`; returns how many were read (short only at EOF). */
export async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/**
 * Parses frames in [from, end): at most maxRecords, stopping once the payload
 * total reaches maxBytes or the next frame would pass it, except that the first frame is always
 * returned when `firstMayExceed` (so a record larger than a reader's budget
 * cannot stall it).
 */
export async function readFrames(
  fh: FileHandle, from: number, end: number, bounds: FrameBounds, maxRecords: number, maxBytes: number,
  firstMayExceed = true,
): Promise<ReadOutcome> {
  const frames: Frame[] = [];
  if (from >= end || maxRecords <= 0) return { frames, next: from, corrupt: null };
  const want = Math.min(end - from, Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, maxBytes + FRAME_HEADER_BYTES)));
  let buf = Buffer.allocUnsafe(want);
  let got = await readFully(fh, buf, from);
  let pos = 0;
  let bytes = 0;
  let minSeq = bounds.minSeq;
  const fail = (reason: string): ReadOutcome => ({ frames, next: from + pos, corrupt: { offset: from + pos, reason } });
  while (frames.length < maxRecords && (frames.length === 0 || bytes < maxBytes)) {
    if (pos + FRAME_HEADER_BYTES > got) {
      if (from + pos >= end) break;
      if (got < want || from + pos + FRAME_HEADER_BYTES > end) return fail('truncated header');
      break; // header continues in the next chunk
    }
    const len = frameLength(buf, pos);
    if (len > bounds.maxPayload) return fail('bad length');
    const size = FRAME_HEADER_BYTES + len;
    if (from + pos + size > end) return fail('frame past end of data');
    if (pos + size > got) {
      if (frames.length > 0) break; // finish it on the next call
      if (got < want) return fail('truncated payload');
      buf = Buffer.allocUnsafe(size); // a record larger than the chunk: read it alone
      got = await readFully(fh, buf, from);
      if (got < size) return fail('truncated payload');
    }
    if (!frameCrcOk(buf, pos, len)) return fail('checksum mismatch');
    const seq = frameSeq(buf, pos);
    if (seq < minSeq || seq > bounds.maxSeq) return fail('sequence out of order');
    if ((frames.length > 0 || !firstMayExceed) && bytes + len > maxBytes) break;
    frames.push({ seq, offset: from + pos, payload: buf.subarray(pos + FRAME_HEADER_BYTES, pos + size) });
    minSeq = seq + 1;
    bytes += len;
    pos += size;
  }
  return { frames, next: from + pos, corrupt: null };
}

/**
 * Finds the offset of the next valid frame at or after `from` (byte by byte),
 * or null if [from, end) holds none. Only runs after corruption was found.
 */
export async function findNextFrame(fh: FileHandle, from: number, end: number, bounds: FrameBounds): Promise<number | null> {
  let base = from;
  let buf = Buffer.allocUnsafe(0);
  let got = 0;
  for (let at = from; at + FRAME_HEADER_BYTES <= end; at++) {
    if (at + FRAME_HEADER_BYTES > base + got) {
      base = at;
      if (buf.length === 0) buf = Buffer.allocUnsafe(Math.min(RESYNC_CHUNK, end - from));
      got = await readFully(fh, buf, base);
      if (got < FRAME_HEADER_BYTES) return null;
    }
    const i = at - base;
    const len = frameLength(buf, i);
    if (len > bounds.maxPayload || at + FRAME_HEADER_BYTES + len > end) continue;
    const seq = frameSeq(buf, i);
    if (seq < bounds.minSeq || seq > bounds.maxSeq) continue;
    if (i + FRAME_HEADER_BYTES + len <= got) {
      if (frameCrcOk(buf, i, len)) return at;
    } else {
      const one = Buffer.allocUnsafe(FRAME_HEADER_BYTES + len);
      if ((await readFully(fh, one, at)) === one.length && frameCrcOk(one, 0, len)) return at;
    }
  }
  return null;
}

/**
 * On-disk format of the disk log: file names and record frames.
 *
 *   <dir>/<first seq, 16 digits>.seg   segment (data) file
 *   <dir>/<cursor name>.cursor         read-cursor ledger (JSON, see ledger.ts)
 *   <dir>/LOCK                         owner pid while the log is open
 *
 * A segment is a plain concatenation of frames, no file header:
 *
 *   offset  size  field
 *   0       4     crc     CRC-32 (zlib) of bytes 4 .. 16+len, i.e. len, seq and payload
 *   4       4     len     payload length, u32 little-endian
 *   8       8     seq     record sequence number, u64 little-endian (< 2^53)
 *   16      len   payload opaque bytes
 *
 * The CRC covers the length and the sequence number, so a flipped header bit
 * is caught like a flipped payload bit. Sequence numbers are strictly
 * increasing inside a file and across files; a file's name is a lower bound
 * of every seq in it, and an upper bound (exclusive) of every seq in the
 * files before it. That is what lets a reader resynchronise after a corrupt
 * header: it scans forward for a frame whose seq lies in the expected range
 * and whose CRC matches.
 */
import { crc32 } from './crc.js';

export const FRAME_HEADER_BYTES = 16;
export const SEGMENT_SUFFIX = '.seg';
export const CURSOR_SUFFIX = '.cursor';
export const LOCK_FILE = 'LOCK';
const SEQ_DIGITS = 16; // Number.MAX_SAFE_INTEGER has 16 digits
const SEGMENT_NAME = /^(\d{16})\.seg$/;
const TWO_32 = 0x1_0000_0000;

export function segmentFileName(firstSeq: number): string {
  return String(firstSeq).padStart(SEQ_DIGITS, '0') + SEGMENT_SUFFIX;
}

/** The first seq encoded in a segment file name, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const m = SEGMENT_NAME.exec(name);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

export function frameBytes(payloadLength: number): number {
  return FRAME_HEADER_BYTES + payloadLength;
}

/** Writes one frame at `offset` in `out` (which must have room) and returns the end offset. */
export function encodeFrame(out: Buffer, offset: number, seq: number, payload: Uint8Array): number {
  const len = payload.length;
  out.writeUInt32LE(len, offset + 4);
  out.writeUInt32LE(seq % TWO_32, offset + 8);
  out.writeUInt32LE(Math.floor(seq / TWO_32), offset + 12);
  out.set(payload, offset + FRAME_HEADER_BYTES);
  const end = offset + FRAME_HEADER_BYTES + len;
  out.writeUInt32LE(crc32(out.subarray(offset + 4, end)), offset);
  return end;
}

export function frameLength(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset + 4);
}

export function frameSeq(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset + 8) + buf.readUInt32LE(offset + 12) * TWO_32;
}

/** True when the CRC of the complete frame starting at `offset` matches. */
export function frameCrcOk(buf: Buffer, offset: number, len: number): boolean {
  return crc32(buf.subarray(offset + 4, offset + FRAME_HEADER_BYTES + len)) === buf.readUInt32LE(offset);
}

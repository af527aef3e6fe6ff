/**
 * One write-ahead-log record = one accepted ingest request, already
 * normalized and rendered as JSONEachRow per table, followed by a trailer:
 *   [table payloads back to back][header JSON][u32 header length]
 * header = { b: batch id or '', t: [[table, byte length, row count], …] }
 * The header trails the payloads so rows are rendered straight into the
 * record's buffer: no second copy of the payload per request.
 */
import type { TableName } from '@jobscope/core';

/** Rows for one table, as a request hands them to the writer. */
export interface TableRowsPart { table: TableName; rows: readonly object[] }
/** One table's rendered rows, as the flusher reads them back. */
export interface TablePayload { table: TableName; data: Buffer; rows: number }
export interface WalEntry { batchId: string; parts: TablePayload[] }

/** A growing byte buffer that rows are rendered into. */
class Output {
  buf: Buffer;
  off = 0;
  constructor(size: number) { this.buf = Buffer.allocUnsafe(size); }
  reserve(n: number): void {
    if (this.off + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n));
    this.buf.copy(grown, 0, 0, this.off);
    this.buf = grown;
  }
  /** Writes a string as UTF-8 (a JS string of n UTF-16 units is at most 3n bytes). */
  string(s: string): void {
    this.reserve(s.length * 3);
    this.off += this.buf.write(s, this.off, 'utf8');
  }
  /**
   * One JSON line per row, written straight into the buffer: measured ~30 %
   * cheaper than concatenating a big string and encoding it at the end.
   */
  rows(rows: readonly object[]): void {
    for (const r of rows) {
      this.string(JSON.stringify(r));
      this.reserve(1);
      this.buf[this.off++] = 10;
    }
  }
}

/** Renders a request's rows into one WAL record. */
export function encodeWalEntry(batchId: string, parts: readonly TableRowsPart[]): { record: Buffer; rows: number } {
  let estimate = 64;
  for (const p of parts) estimate += p.rows.length * 512;
  const out = new Output(estimate);
  const t: [TableName, number, number][] = [];
  let rows = 0;
  for (const p of parts) {
    const start = out.off;
    out.rows(p.rows);
    t.push([p.table, out.off - start, p.rows.length]);
    rows += p.rows.length;
  }
  const headerStart = out.off;
  out.string(JSON.stringify({ b: batchId, t }));
  const hlen = out.off - headerStart;
  out.reserve(4);
  out.buf.writeUInt32LE(hlen, out.off);
  out.off += 4;
  return { record: out.buf.subarray(0, out.off), rows };
}

export function decodeWalEntry(buf: Buffer): WalEntry {
  if (buf.length < 4) throw new Error('write-ahead record is too short');
  const hlen = buf.readUInt32LE(buf.length - 4);
  const headerStart = buf.length - 4 - hlen;
  if (headerStart < 0) throw new Error('write-ahead record has a bad header length');
  const header = JSON.parse(buf.subarray(headerStart, buf.length - 4).toString('utf8')) as { b: string; t: [TableName, number, number][] };
  let off = 0;
  const parts: TablePayload[] = [];
  for (const [table, bytes, rows] of header.t) {
    parts.push({ table, data: buf.subarray(off, off + bytes), rows });
    off += bytes;
  }
  if (off !== headerStart) throw new Error(`write-ahead record has ${headerStart - off} unaccounted bytes`);
  return { batchId: header.b, parts };
}

/** Renders rows as one JSONEachRow buffer. */
export function toJsonEachRow(rows: readonly object[]): Buffer {
  const out = new Output(Math.max(4096, rows.length * 512));
  out.rows(rows);
  return out.buf.subarray(0, out.off);
}

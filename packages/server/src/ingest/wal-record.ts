/**
 * One write-ahead-log record = one accepted ingest request, already
 * normalized and rendered as JSONEachRow per table:
 *   [u32 header length][header JSON][table payloads back to back]
 * header = { b: batch id or '', t: [[table, byte length, row count], …] }
 */
import type { TableName } from '@jobscope/core';

export interface TablePayload { table: TableName; data: Buffer; rows: number }
export interface WalEntry { batchId: string; parts: TablePayload[] }

export function encodeWalEntry(e: WalEntry): Buffer {
  const header = Buffer.from(JSON.stringify({ b: e.batchId, t: e.parts.map((p) => [p.table, p.data.length, p.rows]) }));
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32LE(header.length, 0);
  return Buffer.concat([len, header, ...e.parts.map((p) => p.data)]);
}

export function decodeWalEntry(buf: Buffer): WalEntry {
  const hlen = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + hlen).toString('utf8')) as { b: string; t: [TableName, number, number][] };
  let off = 4 + hlen;
  const parts: TablePayload[] = [];
  for (const [table, bytes, rows] of header.t) {
    parts.push({ table, data: buf.subarray(off, off + bytes), rows });
    off += bytes;
  }
  if (off !== buf.length) throw new Error(`write-ahead record has ${buf.length - off} trailing bytes`);
  return { batchId: header.b, parts };
}

/** Renders rows as one JSONEachRow buffer. */
export function toJsonEachRow(rows: readonly object[]): Buffer {
  let s = '';
  for (const r of rows) s += JSON.stringify(r) + '\n';
  return Buffer.from(s);
}

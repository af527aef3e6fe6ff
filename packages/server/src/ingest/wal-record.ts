/**
 * One write-ahead-log record = one accepted ingest request, as it arrived:
 *   [request body][header JSON][u32 header length]
 * header = { v: 2, b: batch id or '', s: signal, e: 'protobuf' | 'json',
 *            r: received-at time in ns, d: default dataset (optional) }
 * The body is the decoded (uncompressed) OTLP request: about a fifth of its
 * rows rendered as JSONEachRow, so the log's checksums, copies and disk
 * writes cost a fifth. The rendered rows wait in memory (staging.ts); replay
 * decodes and normalizes the body again with the same received-at time and
 * default dataset, so it renders the same rows.
 *
 * Records written by servers before this format (header { b, t: [[table,
 * byte length, row count], …] } after JSONEachRow payloads) are still read,
 * so a newer server replays an older server's log.
 */
import type { Encoding, Signal } from '@jobscope/otlp';
import type { TableName } from '@jobscope/core';

export interface WalRequest {
  batchId: string;
  signal: Signal;
  encoding: Encoding;
  receivedAtNs: string;
  dataset?: string;
  /** Decoded (uncompressed) request body. */
  body: Buffer;
}

/** One table's rendered rows in an older server's record. */
export interface TablePayload { table: TableName; data: Buffer; rows: number }

export type WalEntry = ({ kind: 'request' } & WalRequest) | { kind: 'rows'; batchId: string; parts: TablePayload[] };

interface RequestHeader { v: 2; b: string; s: Signal; e: Encoding; r: string; d?: string }
interface RowsHeader { b: string; t: [TableName, number, number][] }

export function encodeWalRequest(r: WalRequest): Buffer {
  const h: RequestHeader = { v: 2, b: r.batchId, s: r.signal, e: r.encoding, r: r.receivedAtNs };
  if (r.dataset !== undefined) h.d = r.dataset;
  const header = JSON.stringify(h);
  const hlen = Buffer.byteLength(header);
  const out = Buffer.allocUnsafe(r.body.length + hlen + 4);
  r.body.copy(out, 0);
  out.write(header, r.body.length, 'utf8');
  out.writeUInt32LE(hlen, r.body.length + hlen);
  return out;
}

export function decodeWalEntry(buf: Buffer): WalEntry {
  if (buf.length < 4) throw new Error('write-ahead record is too short');
  const hlen = buf.readUInt32LE(buf.length - 4);
  const headerStart = buf.length - 4 - hlen;
  if (headerStart < 0) throw new Error('write-ahead record has a bad header length');
  const header = JSON.parse(buf.subarray(headerStart, buf.length - 4).toString('utf8')) as RequestHeader | RowsHeader;
  if ('v' in header) {
    if (header.v !== 2 || !SIGNALS.has(header.s) || (header.e !== 'protobuf' && header.e !== 'json')) {
      throw new Error(`write-ahead record has an unknown header ${JSON.stringify(header).slice(0, 200)}`);
    }
    const e: WalEntry = { kind: 'request', batchId: header.b, signal: header.s, encoding: header.e, receivedAtNs: header.r, body: buf.subarray(0, headerStart) };
    if (header.d !== undefined) e.dataset = header.d;
    return e;
  }
  let off = 0;
  const parts: TablePayload[] = [];
  for (const [table, bytes, rows] of header.t) {
    parts.push({ table, data: buf.subarray(off, off + bytes), rows });
    off += bytes;
  }
  if (off !== headerStart) throw new Error(`write-ahead record has ${headerStart - off} unaccounted bytes`);
  return { kind: 'rows', batchId: header.b, parts };
}

const SIGNALS = new Set<string>(['logs', 'traces', 'metrics']);

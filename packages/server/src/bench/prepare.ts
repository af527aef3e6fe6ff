/**
 * Turns generated requests into what each measured path consumes:
 * - protobuf bodies for the HTTP sender (encoded once, before timing);
 * - JSONEachRow buffers of the storage rows, through the same decode and
 *   normalize the server runs, so the direct insert gets byte-identical rows.
 */
import { decodeRequest, encodeRequest } from '@jobscope/otlp';
import { normalizeLogs } from '@jobscope/pipeline';
import { toJsonEachRow } from '../ingest/json-rows.js';
import { generateRequests, type DataOptions } from './data.js';

export interface Body { data: Uint8Array; records: number }

export function protobufBodies(o: DataOptions): Body[] {
  const out: Body[] = [];
  for (const g of generateRequests(o)) out.push({ data: encodeRequest('logs', g.req, 'protobuf'), records: g.records });
  return out;
}

export interface RowBatch { data: Buffer; rows: number }

/**
 * Yields JSONEachRow batches of about `batchRows` rows (whole requests, so a
 * batch may run over by one request).
 */
export function* rowBatches(o: DataOptions, batchRows: number): Generator<RowBatch> {
  const ctx = { receivedAtNs: (BigInt(o.startMs) * 1_000_000n).toString() };
  let parts: Buffer[] = [];
  let rows = 0;
  for (const g of generateRequests(o)) {
    const decoded = decodeRequest('logs', encodeRequest('logs', g.req, 'protobuf'), 'protobuf');
    const r = normalizeLogs(decoded, ctx);
    parts.push(toJsonEachRow(r));
    rows += r.length;
    if (rows >= batchRows) {
      yield { data: Buffer.concat(parts), rows };
      parts = [];
      rows = 0;
    }
  }
  if (rows > 0) yield { data: Buffer.concat(parts), rows };
}

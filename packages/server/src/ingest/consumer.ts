/**
 * The server's OTLP consumer: normalize → durable write (the request body
 * into the WAL, its rows rendered for the insert). Resolves when the write is
 * durable; that is when the receiver answers 200.
 */
import { MAX_ATTRIBUTE_CHARS, nowNs, TRUNCATED_ATTR, type OtlpConsumer } from '@jobscope/pipeline';
import type { IngestWriter } from './writer.js';
import type { TailHub } from './tail-hub.js';
import { requestRows, type RowsContext } from './request-rows.js';
import type { WalRequest } from './wal-record.js';

export interface IngestCounters { logs: number; spans: number; metricPoints: number; requests: number; duplicates: number }

export function serverConsumer(writer: IngestWriter, tail: TailHub, counters: IngestCounters, defaultDataset?: string): OtlpConsumer {
  return async (signal, req, meta) => {
    const ctx: RowsContext = { receivedAtNs: nowNs() };
    if (defaultDataset !== undefined) ctx.defaultDataset = defaultDataset;
    const out = requestRows(signal, req, ctx);
    counters.logs += out.logs;
    counters.spans += out.spans;
    counters.metricPoints += out.metricPoints;
    counters.requests++;
    if (out.parts.length === 0) return;
    const wal: WalRequest = { batchId: meta.batchId, signal, encoding: meta.encoding, receivedAtNs: ctx.receivedAtNs, body: meta.body };
    if (defaultDataset !== undefined) wal.dataset = defaultDataset;
    const r = await writer.write(wal, out.parts);
    if (r === 'duplicate') counters.duplicates++;
    else if (out.logRows) tail.publish(out.logRows);
    // OTLP partial success with nothing rejected is a warning to the sender.
    if (out.truncated > 0) {
      return { rejected: 0, errorMessage: `${out.truncated} records had values cut to ${MAX_ATTRIBUTE_CHARS} characters (attributes) or the body limit; marked ${TRUNCATED_ATTR}=true` };
    }
  };
}

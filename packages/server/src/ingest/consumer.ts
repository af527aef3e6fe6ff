/**
 * The server's OTLP consumer: normalize → render JSONEachRow per table →
 * durable write (WAL). Resolves when the write is durable; that is when the
 * receiver answers 200.
 */
import type { LogRow, TableName } from '@jobscope/core';
import { normalizeLogs, normalizeMetrics, normalizeSpans, nowNs, MAX_ATTRIBUTE_CHARS, TRUNCATED_ATTR, type OtlpConsumer } from '@jobscope/pipeline';
import type { IngestWriter } from './writer.js';
import type { TailHub } from './tail-hub.js';
import type { TableRowsPart } from './wal-record.js';

export interface IngestCounters { logs: number; spans: number; metricPoints: number; requests: number; duplicates: number }

export function serverConsumer(writer: IngestWriter, tail: TailHub, counters: IngestCounters, defaultDataset?: string): OtlpConsumer {
  return async (signal, req, meta) => {
    const ctx = { receivedAtNs: nowNs(), defaultDataset };
    const parts: TableRowsPart[] = [];
    let logRows: LogRow[] | undefined;
    let truncated = 0;
    if (signal === 'logs') {
      logRows = normalizeLogs(req as Parameters<typeof normalizeLogs>[0], ctx);
      add(parts, 'otel_logs', logRows);
      for (const r of logRows) if (r.LogAttributes[TRUNCATED_ATTR]) truncated++;
      counters.logs += logRows.length;
    } else if (signal === 'traces') {
      const rows = normalizeSpans(req as Parameters<typeof normalizeSpans>[0], ctx);
      add(parts, 'otel_traces', rows);
      for (const r of rows) if (r.SpanAttributes[TRUNCATED_ATTR]) truncated++;
      counters.spans += rows.length;
    } else {
      const byTable = normalizeMetrics(req as Parameters<typeof normalizeMetrics>[0], ctx);
      for (const [table, rows] of Object.entries(byTable) as [TableName, object[]][]) {
        add(parts, table, rows);
        counters.metricPoints += rows.length;
      }
    }
    counters.requests++;
    if (parts.length === 0) return;
    const r = await writer.write(meta.batchId, parts);
    if (r === 'duplicate') counters.duplicates++;
    else if (logRows) tail.publish(logRows);
    // OTLP partial success with nothing rejected is a warning to the sender.
    if (truncated > 0) {
      return { rejected: 0, errorMessage: `${truncated} records had values cut to ${MAX_ATTRIBUTE_CHARS} characters (attributes) or the body limit; marked ${TRUNCATED_ATTR}=true` };
    }
  };
}

function add(parts: TableRowsPart[], table: TableName, rows: readonly object[]): void {
  if (rows.length > 0) parts.push({ table, rows });
}

/**
 * The server's OTLP consumer: normalize → render JSONEachRow per table →
 * durable write (WAL). Resolves when the write is durable; that is when the
 * receiver answers 200.
 */
import type { LogRow, TableName } from '@jobscope/core';
import { normalizeLogs, normalizeMetrics, normalizeSpans, nowNs, type OtlpConsumer } from '@jobscope/pipeline';
import type { IngestWriter } from './writer.js';
import type { TailHub } from './tail-hub.js';
import { toJsonEachRow, type TablePayload } from './wal-record.js';

export interface IngestCounters { logs: number; spans: number; metricPoints: number; requests: number; duplicates: number }

export function serverConsumer(writer: IngestWriter, tail: TailHub, counters: IngestCounters, defaultDataset?: string): OtlpConsumer {
  return async (signal, req, meta) => {
    const ctx = { receivedAtNs: nowNs(), defaultDataset };
    const parts: TablePayload[] = [];
    let logRows: LogRow[] | undefined;
    if (signal === 'logs') {
      logRows = normalizeLogs(req as Parameters<typeof normalizeLogs>[0], ctx);
      add(parts, 'otel_logs', logRows);
      counters.logs += logRows.length;
    } else if (signal === 'traces') {
      const rows = normalizeSpans(req as Parameters<typeof normalizeSpans>[0], ctx);
      add(parts, 'otel_traces', rows);
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
  };
}

function add(parts: TablePayload[], table: TableName, rows: readonly object[]): void {
  if (rows.length > 0) parts.push({ table, data: toJsonEachRow(rows), rows: rows.length });
}

/**
 * A decoded OTLP request → the rows it adds to each table (normalize). The
 * consumer does this when a request arrives; the writer does it again when it
 * replays a write-ahead record (same received-at time and default dataset,
 * so the same rows).
 */
import type { LogRow, TableName } from '@jobscope/core';
import { decodeRequest, type RequestBySignal, type Signal } from '@jobscope/otlp';
import { normalizeLogs, normalizeMetrics, normalizeSpans, TRUNCATED_ATTR } from '@jobscope/pipeline';
import type { WalRequest } from './wal-record.js';

/** Rows for one table, as a request hands them to the writer. */
export interface TableRowsPart { table: TableName; rows: readonly object[] }

export interface RequestRows {
  parts: TableRowsPart[];
  /** The log rows (for live tail), when the request carried logs. */
  logRows?: LogRow[];
  /** Records with a value cut to the attribute or body limit. */
  truncated: number;
  logs: number;
  spans: number;
  metricPoints: number;
}

export interface RowsContext { receivedAtNs: string; defaultDataset?: string }

export function requestRows<S extends Signal>(signal: S, req: RequestBySignal[S], ctx: RowsContext): RequestRows {
  const out: RequestRows = { parts: [], truncated: 0, logs: 0, spans: 0, metricPoints: 0 };
  if (signal === 'logs') {
    const rows = normalizeLogs(req as RequestBySignal['logs'], ctx);
    add(out.parts, 'otel_logs', rows);
    for (const r of rows) if (r.LogAttributes[TRUNCATED_ATTR]) out.truncated++;
    out.logRows = rows;
    out.logs = rows.length;
  } else if (signal === 'traces') {
    const rows = normalizeSpans(req as RequestBySignal['traces'], ctx);
    add(out.parts, 'otel_traces', rows);
    for (const r of rows) if (r.SpanAttributes[TRUNCATED_ATTR]) out.truncated++;
    out.spans = rows.length;
  } else {
    const byTable = normalizeMetrics(req as RequestBySignal['metrics'], ctx);
    for (const [table, rows] of Object.entries(byTable) as [TableName, object[]][]) {
      add(out.parts, table, rows);
      out.metricPoints += rows.length;
    }
  }
  return out;
}

/** The rows of a write-ahead record (replay): decoded and normalized as when it arrived. */
export function walRequestRows(r: WalRequest): TableRowsPart[] {
  const ctx: RowsContext = { receivedAtNs: r.receivedAtNs };
  if (r.dataset !== undefined) ctx.defaultDataset = r.dataset;
  return requestRows(r.signal, decodeRequest(r.signal, r.body, r.encoding), ctx).parts;
}

function add(parts: TableRowsPart[], table: TableName, rows: readonly object[]): void {
  if (rows.length > 0) parts.push({ table, rows });
}

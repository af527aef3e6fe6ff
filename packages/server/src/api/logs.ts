/**
 * GET /api/logs?q=&from=&to=&limit=&cursor=&dataset= → {rows, nextCursor}
 * Newest first. The cursor is the last row's (timestamp, row hash), so pages
 * neither skip nor repeat rows that share a timestamp.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import { compileWhere, LOGS_TABLE, param, render, schemaExpr, sql, type Sql } from '../query/index.js';
import { decodeCursor, encodeCursor, parseLimit, qs, timeRange } from './params.js';
import { LOG_VIEW_COLUMNS, toLogView, type LogViewRow } from './log-view.js';

const ROW_HASH = 'cityHash64(Body, TraceId, SpanId, JobId, toString(LogAttributes), toString(ResourceAttributes))';

/**
 * WHERE clause shared by log searches: time range, dataset, query. The range
 * is applied on the second-resolution TimestampTime (the primary key, cheap);
 * the nanosecond Timestamp column is read only when a bound has a fraction.
 */
export function logsWhere(q: string, range: { fromNs: string; toNs: string; fromMs: number; toMs: number }, dataset?: string): Sql {
  const fromS = Math.floor(range.fromMs / 1000);
  const toS = Math.ceil(range.toMs / 1000);
  const parts: Sql[] = [
    sql`TimestampTime >= toDateTime(${param.int64(fromS)})`,
    range.toMs % 1000 === 0 ? sql`TimestampTime < toDateTime(${param.int64(toS)})` : sql`TimestampTime <= toDateTime(${param.int64(toS)})`,
  ];
  if (range.fromMs % 1000 !== 0) parts.push(sql`Timestamp >= fromUnixTimestamp64Nano(${param.int64(range.fromNs)})`);
  if (range.toMs % 1000 !== 0) parts.push(sql`Timestamp < fromUnixTimestamp64Nano(${param.int64(range.toNs)})`);
  parts.push(sql`(${compileWhere(q, LOGS_TABLE)})`);
  if (dataset) parts.push(sql`Dataset = ${param.string(dataset)}`);
  return parts.reduce((a, b) => sql`${a} AND ${b}`);
}

export function logsRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/logs', async (req) => {
      const p = qs(req.query);
      const range = timeRange(p);
      const limit = parseLimit(p.limit, 100, 10_000);
      const cursor = decodeCursor(p.cursor);
      let where = logsWhere(p.q ?? '', range, p.dataset);
      if (cursor) where = sql`${where} AND (Timestamp, ${schemaExpr(ROW_HASH)}) < (fromUnixTimestamp64Nano(${param.int64(cursor.ts)}), toUInt64(${param.string(cursor.h)}))`;
      const stmt = render(sql`SELECT ${LOG_VIEW_COLUMNS}, toString(${schemaExpr(ROW_HASH)}) AS h
        FROM otel_logs WHERE ${where}
        ORDER BY Timestamp DESC, ${schemaExpr(ROW_HASH)} DESC LIMIT ${param.int64(limit)}`);
      const rows = await store.query<LogViewRow & { h: string }>(stmt.sql, stmt.params);
      const last = rows[rows.length - 1];
      return {
        rows: rows.map(toLogView),
        nextCursor: rows.length === limit && last ? encodeCursor({ ts: last.ts, h: last.h }) : null,
      };
    });
  };
}

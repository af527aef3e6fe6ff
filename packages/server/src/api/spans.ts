/**
 * GET /api/spans?q=&from=&to=&limit=&cursor=&dataset= → {rows: SpanView[], nextCursor}
 * Span search with the search language over otel_traces (query/schema.ts,
 * SPANS_TABLE), newest first. The cursor is the last row's (start time,
 * hash of trace and span id), as for /api/logs.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import { compileWhere, param, render, schemaExpr, SPANS_TABLE, sql, type Sql } from '../query/index.js';
import { decodeCursor, encodeCursor, parseLimit, qs, timeRange } from './params.js';
import { SPAN_VIEW_COLUMNS, toSpanView, type SpanViewRow } from './span-view.js';

const ROW_HASH = 'cityHash64(TraceId, SpanId)';

/** WHERE clause of span searches (also the service map's child spans): start time in [from, to), query, dataset. */
export function spansWhere(q: string, range: { fromNs: string; toNs: string }, dataset?: string): Sql {
  const parts: Sql[] = [
    sql`Timestamp >= fromUnixTimestamp64Nano(${param.int64(range.fromNs)})`,
    sql`Timestamp < fromUnixTimestamp64Nano(${param.int64(range.toNs)})`,
    sql`(${compileWhere(q, SPANS_TABLE)})`,
  ];
  if (dataset) parts.push(sql`Dataset = ${param.string(dataset)}`);
  return parts.reduce((a, b) => sql`${a} AND ${b}`);
}

export function spansRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/spans', async (req) => {
      const p = qs(req.query);
      const range = timeRange(p);
      const limit = parseLimit(p.limit, 100, 10_000);
      const cursor = decodeCursor(p.cursor);
      let where = spansWhere(p.q ?? '', range, p.dataset);
      if (cursor) where = sql`${where} AND (Timestamp, ${schemaExpr(ROW_HASH)}) < (fromUnixTimestamp64Nano(${param.int64(cursor.ts)}), toUInt64(${param.string(cursor.h)}))`;
      const stmt = render(sql`SELECT ${SPAN_VIEW_COLUMNS}, toString(${schemaExpr(ROW_HASH)}) AS h
        FROM otel_traces WHERE ${where}
        ORDER BY Timestamp DESC, ${schemaExpr(ROW_HASH)} DESC LIMIT ${param.int64(limit)}`);
      const rows = await store.query<SpanViewRow & { h: string }>(stmt.sql, stmt.params);
      const last = rows[rows.length - 1];
      return {
        rows: rows.map(toSpanView),
        nextCursor: rows.length === limit && last ? encodeCursor({ ts: last.ts, h: last.h }) : null,
      };
    });
  };
}

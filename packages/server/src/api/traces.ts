/**
 * GET /api/traces/:traceId?dataset=&limit= → one trace as a tree:
 *   {traceId, startTime, endTime, durationMs, spanCount, services, errorCount,
 *    roots: SpanNode[], orphans, truncated}
 * SpanNode = SpanView (span-view.ts) + {depth, children}. Spans whose parent
 * is not in the trace are orphans, listed as roots (span-tree.ts). At most
 * `limit` spans are read (default and maximum 10,000), earliest first;
 * `truncated` says the trace has more.
 */
import type { FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import type { Store } from '../store/index.js';
import { param, render, sql } from '../query/index.js';
import { nsToIso, parseLimit, qs } from './params.js';
import { buildSpanTree, treeToJson } from './span-tree.js';
import { nsToMs, SPAN_VIEW_COLUMNS, toSpanView, type SpanViewRow } from './span-view.js';

/** Most spans read for one trace. */
export const TRACE_SPAN_LIMIT = 10_000;

const TRACE_ID = /^[0-9a-f]{32}$/;

/** A W3C/OTLP trace id: 32 hex digits, not all zero; returned lowercase (as stored). */
export function parseTraceId(v: string | undefined): string {
  const id = (v ?? '').toLowerCase();
  if (!TRACE_ID.test(id) || /^0+$/.test(id)) {
    throw new JobscopeError('JS_BAD_REQUEST', `trace id must be 32 hex digits, not all zero (got '${(v ?? '').slice(0, 40)}')`);
  }
  return id;
}

export function tracesRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { traceId: string } }>('/api/traces/:traceId', async (req, reply) => {
      const traceId = parseTraceId(req.params.traceId);
      const p = qs(req.query);
      const limit = parseLimit(p.limit, TRACE_SPAN_LIMIT, TRACE_SPAN_LIMIT);
      const ds = p.dataset ? sql` AND Dataset = ${param.string(p.dataset)}` : sql``;
      const stmt = render(sql`SELECT ${SPAN_VIEW_COLUMNS} FROM otel_traces
        WHERE TraceId = ${param.string(traceId)}${ds}
        ORDER BY Timestamp, SpanId LIMIT ${param.int64(limit + 1)}`);
      const rows = await store.query<SpanViewRow>(stmt.sql, stmt.params);
      if (rows.length === 0) throw new JobscopeError('JS_NOT_FOUND', `no spans for trace ${traceId}`);
      const truncated = rows.length > limit;
      const spans = (truncated ? rows.slice(0, limit) : rows).map(toSpanView);
      const tree = buildSpanTree(spans);
      let start = BigInt(spans[0]!.startTimeNs);
      let end = 0n;
      const services = new Set<string>();
      let errorCount = 0;
      const seen = new Set<string>();
      for (const s of spans) {
        if (seen.has(s.spanId)) continue; // a duplicate row: the tree keeps the first
        seen.add(s.spanId);
        const st = BigInt(s.startTimeNs);
        const en = BigInt(s.endTimeNs);
        if (st < start) start = st;
        if (en > end) end = en;
        if (s.serviceName) services.add(s.serviceName);
        if (s.statusCode === 'Error') errorCount++;
      }
      const head = {
        traceId, startTime: nsToIso(start.toString()), endTime: nsToIso(end.toString()), durationMs: nsToMs(end - start),
        spanCount: tree.spanCount, services: [...services].sort(), errorCount, orphans: tree.orphans, truncated,
      };
      // The tree may be deeper than JSON.stringify can recurse: serialized without recursion.
      const json = JSON.stringify(head);
      reply.type('application/json; charset=utf-8');
      return `${json.slice(0, -1)},"roots":${treeToJson(tree.roots)}}`;
    });
  };
}

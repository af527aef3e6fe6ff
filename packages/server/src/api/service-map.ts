/**
 * GET /api/service-map?from=&to=&q=&dataset= →
 *   {from, to, nodes: [{service, spans, errors, errorRate, p95Ms}],
 *    edges: [{from, to, calls, errors, errorRate, p95Ms}]}
 *
 * An edge A→B counts every span of service B whose parent span (same
 * TraceId, ParentSpanId = SpanId) belongs to service A ≠ B: calls, errors
 * (StatusCode Error, or STATUS_CODE_ERROR as some collectors write it), and
 * the p95 of the child span's duration. A node counts the spans of one
 * service. `q` (the search language) selects the child spans: the spans
 * counted in nodes and the callee side of edges; parents are looked up among
 * all spans of those traces. Spans are those that start in [from, to)
 * (default: the last hour; at most 31 days); a parent may start up to 24 h
 * before `from`. Services that appear only as callers of matching spans are
 * listed as nodes with zero spans, so every edge ends at a node.
 *
 * One SQL statement: a join of the child spans to their parents (restricted
 * to the children's traces), grouped two ways at once (GROUPING SETS): by
 * service for nodes, by (caller, callee) for edges.
 */
import type { FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import type { Store } from '../store/index.js';
import { join, param, render, sql } from '../query/index.js';
import { msToNs, qs, timeRange } from './params.js';
import { spansWhere } from './spans.js';
import { ERROR_STATUS_CODES } from './span-view.js';

const MAX_RANGE_MS = 31 * 86_400_000;
/** How long before `from` a parent span may start. */
const PARENT_LOOKBACK_MS = 86_400_000;
/** Most nodes + edges returned. */
const MAX_ROWS = 10_000;

export interface ServiceNode { service: string; spans: number; errors: number; errorRate: number; p95Ms: number | null }
export interface ServiceEdge { from: string; to: string; calls: number; errors: number; errorRate: number; p95Ms: number }

interface Row { parent: string; service: string; node: number; calls: number; errors: number; p95: number }

const rate = (errors: number, total: number): number => (total > 0 ? Math.round((errors / total) * 1e6) / 1e6 : 0);
const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;

export function serviceMapRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/service-map', async (req) => {
      const p = qs(req.query);
      const range = timeRange(p);
      if (range.toMs - range.fromMs > MAX_RANGE_MS) throw new JobscopeError('JS_BAD_REQUEST', 'the service map covers at most 31 days: narrow from/to');
      const children = spansWhere(p.q ?? '', range, p.dataset);
      const ds = p.dataset ? sql` AND Dataset = ${param.string(p.dataset)}` : sql``;
      const isError = sql`StatusCode IN (${join(ERROR_STATUS_CODES.map((c) => sql`${param.string(c)}`), sql`, `)})`;
      const stmt = render(sql`SELECT ParentService AS parent, ServiceName AS service, grouping(ParentService) AS node,
          count() AS calls, countIf(${isError}) AS errors, quantile(0.95)(Duration) AS p95
        FROM (
          SELECT c.ServiceName AS ServiceName, c.StatusCode AS StatusCode, c.Duration AS Duration, p.ServiceName AS ParentService
          FROM (SELECT TraceId, ParentSpanId, ServiceName, StatusCode, Duration FROM otel_traces WHERE ${children}) AS c
          ANY LEFT JOIN (
            SELECT TraceId, SpanId, ServiceName FROM otel_traces
            WHERE Timestamp >= fromUnixTimestamp64Nano(${param.int64(msToNs(range.fromMs - PARENT_LOOKBACK_MS))})
              AND Timestamp < fromUnixTimestamp64Nano(${param.int64(range.toNs)})${ds} AND SpanId != ''
              AND TraceId IN (SELECT TraceId FROM otel_traces WHERE ${children} AND ParentSpanId != '')
          ) AS p ON c.TraceId = p.TraceId AND c.ParentSpanId = p.SpanId
        )
        GROUP BY GROUPING SETS ((ServiceName), (ParentService, ServiceName))
        HAVING node = 1 OR (ParentService != '' AND ParentService != ServiceName)
        ORDER BY calls DESC, parent, service
        LIMIT ${param.int64(MAX_ROWS)}`);
      const rows = await store.query<Row>(stmt.sql, stmt.params);
      const nodes = new Map<string, ServiceNode>();
      const edges: ServiceEdge[] = [];
      for (const r of rows) {
        const calls = Number(r.calls);
        const errors = Number(r.errors);
        if (Number(r.node) === 1) {
          nodes.set(r.service, { service: r.service, spans: calls, errors, errorRate: rate(errors, calls), p95Ms: ms(Number(r.p95)) });
        } else {
          edges.push({ from: r.parent, to: r.service, calls, errors, errorRate: rate(errors, calls), p95Ms: ms(Number(r.p95)) });
        }
      }
      for (const e of edges) {
        if (!nodes.has(e.from)) nodes.set(e.from, { service: e.from, spans: 0, errors: 0, errorRate: 0, p95Ms: null });
      }
      return {
        from: new Date(range.fromMs).toISOString(),
        to: new Date(range.toMs).toISOString(),
        nodes: [...nodes.values()].sort((a, b) => b.spans - a.spans || a.service.localeCompare(b.service)),
        edges,
      };
    });
  };
}

/**
 * GET /api/stats?q=&by=field&interval=&from=&to=&dataset=
 *   → {intervalSeconds, keys, buckets: [{time, key, count}]}
 * Counts of log records (events included) per time bucket, optionally per
 * value of one field (top 20 values; the rest are summed as key "(other)").
 */
import type { FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import type { Store } from '../store/index.js';
import { LOGS_TABLE, param, render, resolveField, sql, type Sql } from '../query/index.js';
import { msToNs, qs, timeRange } from './params.js';
import { logsWhere } from './logs.js';

const NICE = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800];
const TOP_KEYS = 20;
const MAX_BUCKETS = 2000;

export function parseInterval(v: string | undefined, spanMs: number): number {
  if (!v || v === 'auto') {
    const want = spanMs / 1000 / 60;
    return NICE.find((n) => n >= want) ?? NICE[NICE.length - 1]!;
  }
  const m = /^(\d+)(s|m|h|d)$/.exec(v);
  if (!m) throw new JobscopeError('JS_BAD_REQUEST', `interval must look like 30s, 5m, 1h, 1d or auto (got '${v.slice(0, 20)}')`);
  const secs = Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's'];
  if (secs < 1) throw new JobscopeError('JS_BAD_REQUEST', 'interval must be at least 1s');
  if (spanMs / 1000 / secs > MAX_BUCKETS) throw new JobscopeError('JS_BAD_REQUEST', `interval ${v} gives more than ${MAX_BUCKETS} buckets over this range; widen it`);
  return secs;
}

export function statsRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/stats', async (req) => {
      const p = qs(req.query);
      const exact = timeRange(p);
      // Buckets are whole seconds at least: widen the range to whole seconds (no nanosecond column read).
      const fromMs = Math.floor(exact.fromMs / 1000) * 1000;
      const toMs = Math.ceil(exact.toMs / 1000) * 1000;
      const range = { fromMs, toMs, fromNs: msToNs(fromMs), toNs: msToNs(toMs) };
      const iv = parseInterval(p.interval, range.toMs - range.fromMs);
      const where = logsWhere(p.q ?? '', range, p.dataset);
      const bucket = sql`toUnixTimestamp(toStartOfInterval(TimestampTime, toIntervalSecond(${param.int64(iv)})))`;
      let stmt;
      if (p.by) {
        const key: Sql = sql`toString(${resolveField(LOGS_TABLE, p.by, 0).expr})`;
        // One scan: count per (bucket, key), then rank keys by their total over the grouped rows.
        stmt = render(sql`SELECT t, if(rank <= ${param.int64(TOP_KEYS)}, kv, '(other)') AS key, sum(c) AS n FROM (
            SELECT t, kv, c, dense_rank() OVER (ORDER BY total DESC, kv) AS rank FROM (
              SELECT t, kv, c, sum(c) OVER (PARTITION BY kv) AS total FROM (
                SELECT ${bucket} AS t, ${key} AS kv, count() AS c FROM otel_logs WHERE ${where} GROUP BY t, kv)))
          GROUP BY t, key ORDER BY t, n DESC`);
      } else {
        stmt = render(sql`SELECT ${bucket} AS t, '' AS key, count() AS n FROM otel_logs WHERE ${where} GROUP BY t ORDER BY t`);
      }
      const rows = await store.query<{ t: number; key: string; n: number }>(stmt.sql, stmt.params);
      const totals = new Map<string, number>();
      for (const r of rows) totals.set(r.key, (totals.get(r.key) ?? 0) + Number(r.n));
      return {
        intervalSeconds: iv,
        from: new Date(range.fromMs).toISOString(),
        to: new Date(range.toMs).toISOString(),
        keys: [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k),
        buckets: rows.map((r) => ({ time: new Date(Number(r.t) * 1000).toISOString(), key: r.key, count: Number(r.n) })),
      };
    });
  };
}

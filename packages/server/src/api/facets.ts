/**
 * GET /api/facets?q=&from=&to=&fields=&dataset=
 *   → {facets: {<field>: [{value, count}]}, total, truncated}
 *
 * For each requested field (comma-separated, at most 10; default level,
 * service_type, event_type, machine_id, model, error_type), the 10 most
 * frequent non-empty values over the log records the query matches in the
 * range (default: the last hour; at most 31 days). Fields resolve like the
 * search language's (aliases, attributes, `resource.<key>`). One scan: the
 * fields' values as an array per record, ARRAY JOIN, count per (field,
 * value), top 10 per field. `total` is the number of matching records
 * counted; at most 1 000 000 are (`truncated` says the bound was reached).
 */
import type { FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import type { Store } from '../store/index.js';
import { join, param, render, sql } from '../query/index.js';
import { qs } from './params.js';
import { logsWhere } from './logs.js';
import { boundedRange, textParam, valueField } from './ui-params.js';

export const DEFAULT_FACETS = ['level', 'service_type', 'event_type', 'machine_id', 'model', 'error_type'] as const;
const MAX_FACETS = 10;
const TOP_VALUES = 10;
const MAX_ROWS = 1_000_000;

export function parseFacetFields(v: string | undefined): string[] {
  if (v === undefined || v.trim() === '') return [...DEFAULT_FACETS];
  const names = [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];
  if (names.length > MAX_FACETS) throw new JobscopeError('JS_BAD_REQUEST', `fields lists at most ${MAX_FACETS} fields (got ${names.length})`);
  return names;
}

export function facetsRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/facets', async (req) => {
      const p = qs(req.query);
      const names = parseFacetFields(p.fields);
      const fields = names.map((n) => valueField(n, 'fields'));
      const dataset = textParam(p.dataset, 'dataset');
      const range = boundedRange(p);
      const where = logsWhere(p.q ?? '', range, dataset);
      const values = join(fields.map((f) => f.expr), sql`, `);
      // Empty values are counted too, so each field's counts sum to the records scanned (total);
      // they sort last and are dropped here.
      const stmt = render(sql`SELECT i, v, n, total FROM (
          SELECT i, v, count() AS n, sum(count()) OVER (PARTITION BY i) AS total
          FROM (SELECT [${values}] AS vals FROM otel_logs WHERE ${where} LIMIT ${param.int64(MAX_ROWS)})
          ARRAY JOIN vals AS v, arrayEnumerate(vals) AS i
          GROUP BY i, v)
        ORDER BY i, v = '', n DESC, v
        LIMIT ${param.int64(TOP_VALUES + 1)} BY i`);
      const rows = await store.query<{ i: number; v: string; n: number; total: number }>(stmt.sql, stmt.params);
      // No prototype: field names come from the request (a field may be called __proto__).
      const facets = Object.create(null) as Record<string, { value: string; count: number }[]>;
      for (const n of names) facets[n] = [];
      let total = 0;
      for (const r of rows) {
        total = Math.max(total, Number(r.total));
        const list = facets[names[Number(r.i) - 1]!]!;
        if (r.v !== '' && list.length < TOP_VALUES) list.push({ value: r.v, count: Number(r.n) });
      }
      return { facets, total, truncated: total >= MAX_ROWS };
    });
  };
}

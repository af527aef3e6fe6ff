/**
 * Search-box completion.
 *
 * GET /api/fields?prefix=&from=&to=&dataset= → {fields: [{name, kind: 'canonical'|'attribute'}]}
 *   Canonical fields of the search language (the log table's fields and the
 *   data model's canonical names), then the log attribute keys, and resource
 *   keys as `resource.<key>`, seen in a bounded sample (100 000 records) of
 *   the range (default: the last 24 h), most frequent first. Filtered by
 *   `prefix` (case-insensitive); at most 200 fields.
 *
 * GET /api/values?field=&prefix=&from=&to=&dataset= → {values: [{value, count}]}
 *   The 20 most frequent non-empty values of one field (resolved like the
 *   search language resolves it: `level`, aliases, attributes,
 *   `resource.<key>`) over the range (default: the last hour), whose value
 *   starts with `prefix` (case-insensitive). Counts come from at most
 *   1 000 000 matching records.
 */
import type { FastifyInstance } from 'fastify';
import { CANONICAL_FIELDS, JobscopeError } from '@jobscope/core';
import type { Store } from '../store/index.js';
import { LOGS_TABLE, param, render, sql } from '../query/index.js';
import { qs } from './params.js';
import { logsWhere } from './logs.js';
import { boundedRange, textParam, valueField, wholeSeconds, type Range } from './ui-params.js';

const MAX_FIELDS = 200;
const FIELD_SAMPLE_ROWS = 100_000;
const TOP_VALUES = 20;
const VALUE_SCAN_ROWS = 1_000_000;

/** Every name the search language knows for log records, in order. */
export const CANONICAL_LOG_FIELDS: readonly string[] = [...new Set([...Object.keys(LOGS_TABLE.fields), ...CANONICAL_FIELDS])].sort();

function timeWhere(range: Range, dataset: string | undefined) {
  return sql`TimestampTime >= toDateTime(${param.int64(range.fromMs / 1000)}) AND TimestampTime < toDateTime(${param.int64(range.toMs / 1000)})${
    dataset ? sql` AND Dataset = ${param.string(dataset)}` : sql``}`;
}

export function completionRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/fields', async (req) => {
      const p = qs(req.query);
      const prefix = (textParam(p.prefix, 'prefix') ?? '').toLowerCase();
      const dataset = textParam(p.dataset, 'dataset');
      const range = wholeSeconds(boundedRange(p, 24 * 3_600_000));
      const canonical = CANONICAL_LOG_FIELDS.filter((f) => f.toLowerCase().startsWith(prefix));
      const stmt = render(sql`SELECT key AS name, count() AS n FROM (
          SELECT arrayJoin(arrayConcat(
            arrayMap(k -> toString(k), mapKeys(LogAttributes)),
            arrayMap(k -> concat('resource.', toString(k)), mapKeys(ResourceAttributes)))) AS key
          FROM (SELECT LogAttributes, ResourceAttributes FROM otel_logs WHERE ${timeWhere(range, dataset)} LIMIT ${param.int64(FIELD_SAMPLE_ROWS)})
        )
        WHERE startsWith(lowerUTF8(key), ${param.string(prefix)}) AND key != ''
        GROUP BY key ORDER BY n DESC, key LIMIT ${param.int64(MAX_FIELDS)}`);
      const rows = await store.query<{ name: string; n: number }>(stmt.sql, stmt.params);
      const known = new Set(CANONICAL_LOG_FIELDS);
      const fields = [
        ...canonical.map((name) => ({ name, kind: 'canonical' as const })),
        ...rows.filter((r) => !known.has(r.name)).map((r) => ({ name: r.name, kind: 'attribute' as const })),
      ].slice(0, MAX_FIELDS);
      return { fields };
    });

    app.get('/api/values', async (req) => {
      const p = qs(req.query);
      if (p.field === undefined) throw new JobscopeError('JS_BAD_REQUEST', 'field is required (e.g. field=service_type)');
      const field = valueField(p.field);
      const prefix = (textParam(p.prefix, 'prefix') ?? '').toLowerCase();
      const dataset = textParam(p.dataset, 'dataset');
      const range = boundedRange(p);
      const stmt = render(sql`SELECT v AS value, count() AS n FROM (
          SELECT ${field.expr} AS v FROM otel_logs
          WHERE ${logsWhere('', range, dataset)} AND ${field.expr} != '' AND startsWith(lowerUTF8(${field.expr}), ${param.string(prefix)})
          LIMIT ${param.int64(VALUE_SCAN_ROWS)})
        GROUP BY v ORDER BY n DESC, v LIMIT ${param.int64(TOP_VALUES)}`);
      const rows = await store.query<{ value: string; n: number }>(stmt.sql, stmt.params);
      return { values: rows.map((r) => ({ value: r.value, count: Number(r.n) })) };
    });
  };
}

/**
 * Parameter checks shared by the web UI's endpoints (overview, machines,
 * completion, facets): bounded time ranges, short text parameters, and
 * field names resolved through the search language's field resolution.
 * Every failure is a JS_BAD_REQUEST naming the parameter.
 */
import { JobscopeError } from '@jobscope/core';
import { LOGS_TABLE, resolveField, sql, type Sql } from '../query/index.js';
import { msToNs, timeRange, type TimeRange } from './params.js';

/** The widest range these endpoints accept. */
export const MAX_RANGE_DAYS = 31;
const MAX_RANGE_MS = MAX_RANGE_DAYS * 86_400_000;
/** Longest field name, prefix or dataset accepted. */
export const MAX_TEXT_PARAM = 200;

export type Range = TimeRange & { fromMs: number; toMs: number };

/** from/to (default: the last `defaultSpanMs`), at most 31 days apart. */
export function boundedRange(p: { from?: string; to?: string }, defaultSpanMs = 3_600_000): Range {
  const r = timeRange(p, defaultSpanMs);
  if (r.toMs - r.fromMs > MAX_RANGE_MS) {
    throw new JobscopeError('JS_BAD_REQUEST', `from and to may be at most ${MAX_RANGE_DAYS} days apart: narrow the range`);
  }
  return r;
}

/** The range widened to whole seconds (reads only the second-resolution TimestampTime column). */
export function wholeSeconds(r: Range): Range {
  const fromMs = Math.floor(r.fromMs / 1000) * 1000;
  const toMs = Math.ceil(r.toMs / 1000) * 1000;
  return { fromMs, toMs, fromNs: msToNs(fromMs), toNs: msToNs(toMs) };
}

/** A short text parameter: at most 200 characters, no control characters. */
export function textParam(v: string | undefined, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (v.length > MAX_TEXT_PARAM) throw new JobscopeError('JS_BAD_REQUEST', `${name} must be at most ${MAX_TEXT_PARAM} characters`);
  if (/[\u0000-\u001f\u007f]/.test(v)) throw new JobscopeError('JS_BAD_REQUEST', `${name} must not contain control characters`);
  return v;
}

/**
 * A log field whose values can be listed (completion, facets): resolved
 * through the search language (`level`, `service_type`, aliases such as
 * `jobId`, `resource.<key>`, any other name is a log attribute whose key
 * travels as a parameter). Free-text and time fields have no value list.
 * Returns the value as a String expression ('' when absent).
 */
export function valueField(name: string, param = 'field'): { name: string; expr: Sql } {
  if (name === '') throw new JobscopeError('JS_BAD_REQUEST', `${param} must name a field (e.g. service_type, level, error_type)`);
  textParam(name, param);
  const f = resolveField(LOGS_TABLE, name, 0);
  if (f.type === 'text' || f.type === 'time') {
    throw new JobscopeError('JS_BAD_REQUEST', `${param} '${name}' is ${f.type === 'text' ? 'free text' : 'a time'}: it has no list of values`);
  }
  return { name, expr: sql`ifNull(toString(${f.expr}), '')` };
}

/** Rounds a ClickHouse number (null/NaN → null) to milliseconds' thousandths. */
export function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : null;
}

/** failed / total, 0 when nothing finished, to 6 decimals. */
export function rate(failed: number, total: number): number {
  return total > 0 ? Math.round((failed / total) * 1e6) / 1e6 : 0;
}

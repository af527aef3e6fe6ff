/**
 * Connector schema validation of a record's attributes, the agent-side twin
 * of what the SDK's logger does per call: validate(serviceType, fields)
 * gives the normalized fields (aliases → canonical names, numeric strings →
 * numbers, clamped ranges, unusable values dropped) and the problems, which
 * go on the record as `schema_errors` — an array of strings, as the SDK
 * writes it — so a bad field is visible instead of silently lost.
 *
 * Differences from calling validate() on the attributes as they are:
 * - keys that name the record itself in the SDK's JSON (time, level, msg,
 *   message) stay as they are (validate would write them as meta_<key>);
 * - a key already canonical wins over an alias of it (as at ingest);
 * - null values are kept (validate skips them);
 * - existing schema_errors (from the SDK) are kept, new ones appended;
 * - every value is made a valid OTLP AnyValue again.
 */
import { coerce, takeProblem, tableFor, validate, type FieldTable } from '@jobscope/core/schemas';
import type { AnyValue, Attributes } from '@jobscope/otlp';
import { toAnyValue } from '../../receivers/shared/structured-log.js';

/** Attribute the problems are reported in (the SDK's name). */
export const SCHEMA_ERRORS_ATTR = 'schema_errors';
const PASS_THROUGH = new Set(['time', 'level', 'msg', 'message', SCHEMA_ERRORS_ATTR]);

export interface SchemaResult {
  attributes: Attributes;
  /** Problems this validation found (not counting earlier ones). */
  errors: number;
}

export function normalizeWithSchema(serviceType: string, attrs: Attributes): SchemaResult {
  const table = tableFor(serviceType);
  if (alreadyValid(table, attrs)) return { attributes: attrs, errors: 0 };
  // Aliases first, then canonical keys: validate() lets the later key win.
  const aliased: [string, AnyValue][] = [];
  const canonical: [string, AnyValue][] = [];
  const kept: [string, AnyValue][] = [];
  for (const key of Object.keys(attrs)) {
    const v = attrs[key] as AnyValue;
    if (PASS_THROUGH.has(key) || v === null) kept.push([key, v]);
    else if (table.lookup(key).name === key) canonical.push([key, v]);
    else aliased.push([key, v]);
  }
  const input: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of aliased) input[k] = v;
  for (const [k, v] of canonical) input[k] = v;
  const out = validate(serviceType, input);
  const found = out.schema_errors ?? [];
  const result: Attributes = {};
  for (const key of Object.keys(out)) {
    if (key === SCHEMA_ERRORS_ATTR || key === '__proto__') continue;
    result[key] = toAnyValue(out[key]);
  }
  for (const [k, v] of kept) if (!Object.hasOwn(result, k)) result[k] = v;
  if (found.length > 0) result[SCHEMA_ERRORS_ATTR] = mergeErrors(attrs[SCHEMA_ERRORS_ATTR], found);
  return { attributes: result, errors: found.length };
}

/**
 * True when validation would change nothing: every key canonical and every
 * typed value already of its type and in range (the common case: the SDK
 * validated it at the call). No allocation; skips the rebuild below.
 */
function alreadyValid(table: FieldTable, attrs: Attributes): boolean {
  for (const key in attrs) {
    const v = attrs[key];
    if (v === null || PASS_THROUGH.has(key)) continue;
    const e = table.lookup(key);
    if (e.name !== key) return false;
    if (e.spec === null) continue;
    const c = coerce(key, e.spec, v);
    if (takeProblem() !== undefined || c !== v) return false;
  }
  return true;
}

function mergeErrors(prior: AnyValue | undefined, found: readonly string[]): string[] {
  const out: string[] = [];
  if (Array.isArray(prior)) { for (const p of prior) if (typeof p === 'string') out.push(p); }
  else if (typeof prior === 'string' && prior !== '') out.push(prior);
  for (const e of found) if (!out.includes(e)) out.push(e);
  return out;
}

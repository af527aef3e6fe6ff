/**
 * The variable parts of a record, each returned as a JSON chunk that starts
 * with a comma (`,"k":v,…`) so the logger only concatenates.
 *
 * Schema problems found while writing fields are collected in a module slot
 * (takeSchemaErrors) rather than returned, so the common case allocates
 * nothing: one record is built synchronously at a time.
 */
import { isSpanContextValid, trace, type SpanContext } from '@opentelemetry/api';
import { coerce, INVALID, takeProblem } from '@jobscope/core/schemas';
import type { FieldEntry, FieldTable } from '@jobscope/core/schemas';
import { anyValue, str } from './json.js';

let schemaErrors: string[] | null = null;

/** The schema errors of the record being built, cleared by reading. */
export function takeSchemaErrors(): string[] | null {
  const e = schemaErrors;
  schemaErrors = null;
  return e;
}

function report(problem: string): void {
  (schemaErrors ??= []).push(problem);
}

/** One field, typed by its entry; undefined when it is dropped. */
export function fieldValue(e: FieldEntry, v: unknown, max: number): string | undefined {
  if (e.spec === null) return anyValue(v, max);
  if (v === null) return undefined;
  const c = coerce(e.name, e.spec, v);
  const p = takeProblem();
  if (p !== undefined) report(p);
  return c === INVALID ? undefined : anyValue(c, max);
}

/** The fields of a meta object (plain object expected; anything else is handled by metaChunk). */
function objectChunk(table: FieldTable, meta: Record<string, unknown>, max: number): string {
  let out = '';
  // for…in, not Object.keys: no array per call (pino does the same).
  for (const k in meta) {
    const v = meta[k];
    if (v === undefined) continue;
    const e = table.lookup(k);
    const val = fieldValue(e, v, max);
    if (val !== undefined) out += ',' + e.key + val;
  }
  return out;
}

/**
 * The chunk for whatever was passed as meta: a plain object's fields, an
 * Error's error fields, or any other value under `meta`.
 */
export function metaChunk(table: FieldTable, meta: unknown, max: number): string {
  if (typeof meta !== 'object') {
    const val = anyValue(meta, max);
    return val === undefined ? '' : ',"meta":' + val;
  }
  if (meta === null) return '';
  if (Array.isArray(meta)) return ',"meta":' + (anyValue(meta, max) ?? 'null');
  if (meta instanceof Error) return errorChunk(meta, max);
  return objectChunk(table, meta as Record<string, unknown>, max);
}

/**
 * Error fields: `error` (message), `error_name`, `error_code`, `stack`,
 * `error_cause` (the cause's message). A non-Error is written as its text.
 */
export function errorChunk(err: unknown, max: number): string {
  if (err === undefined || err === null) return '';
  try {
    if (typeof err !== 'object') return ',"error":' + str(typeof err === 'string' ? err : String(err), max);
    const o = err as { message?: unknown; name?: unknown; code?: unknown; stack?: unknown; cause?: unknown };
    let out = ',"error":' + str(typeof o.message === 'string' ? o.message : textOf(err), max);
    if (typeof o.name === 'string' && o.name !== '') out += ',"error_name":' + str(o.name, max);
    if (typeof o.code === 'string' || typeof o.code === 'number') out += ',"error_code":' + str(String(o.code), max);
    if (typeof o.stack === 'string') out += ',"stack":' + str(o.stack, max);
    const cause = o.cause as { message?: unknown } | undefined;
    if (cause !== undefined && cause !== null) {
      out += ',"error_cause":' + str(typeof cause.message === 'string' ? cause.message : textOf(cause), max);
    }
    return out;
  } catch {
    return ',"error":"[unreadable error]"';
  }
}

/** Any value as text, never throwing. */
export function safeString(v: unknown): string {
  return typeof v === 'string' ? v : textOf(v);
}

function textOf(v: unknown): string {
  try {
    if (v !== null && typeof v === 'object') return JSON.stringify(v) ?? String(v);
    return String(v);
  } catch {
    return '[unprintable]'; // even Object.prototype.toString can throw (a proxy's get trap)
  }
}

// The active span's context, cached by identity: successive records in one
// span (the common case) reuse the chunk. spanContext() returns the same
// object every time in the OpenTelemetry SDK.
let lastContext: SpanContext | undefined;
let lastTraceChunk = '';

/** trace_id/span_id/trace_flags of the active span, or '' (about 16 ns with no tracing set up). */
export function traceChunk(): string {
  const span = trace.getActiveSpan();
  if (span === undefined) return '';
  const sc = span.spanContext();
  if (sc === lastContext) return lastTraceChunk;
  lastContext = sc;
  // Valid ids are hex (checked here), so they need no escaping.
  lastTraceChunk = isSpanContextValid(sc)
    ? ',"trace_id":"' + sc.traceId + '","span_id":"' + sc.spanId + '","trace_flags":"' + (sc.traceFlags & 0xff).toString(16).padStart(2, '0') + '"'
    : '';
  return lastTraceChunk;
}

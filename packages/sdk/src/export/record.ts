/**
 * One JSON line (the contract of contract.ts) → one OTLP log record, in the
 * ReadableLogRecord shape the official serializer takes:
 * `level` → severity number/text, `msg` (or `message`) → body, `time` →
 * timestamp, `trace_id`/`span_id` (+ optional `trace_flags`) → the record's
 * trace context, every other key → an attribute. A line that is not a JSON
 * object yields null (the caller drops and counts it).
 */
import type { HrTime } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Attrs = Record<string, unknown>;

/** Severity numbers of the OpenTelemetry log data model, by pino/winston level name. */
const BY_NAME: Record<string, readonly [number, string]> = {
  trace: [1, 'TRACE'], debug: [5, 'DEBUG'], verbose: [5, 'DEBUG'], info: [9, 'INFO'], http: [9, 'INFO'],
  notice: [10, 'INFO2'], warn: [13, 'WARN'], warning: [13, 'WARN'], error: [17, 'ERROR'], fatal: [21, 'FATAL'],
  critical: [21, 'FATAL'],
};
const PINO: readonly (readonly [number, string])[] = [BY_NAME.trace, BY_NAME.debug, BY_NAME.info, BY_NAME.warn, BY_NAME.error, BY_NAME.fatal];

export function severity(level: unknown): readonly [number, string] | undefined {
  if (typeof level === 'string') return BY_NAME[level] ?? BY_NAME[level.toLowerCase()];
  if (typeof level === 'number' && Number.isFinite(level)) {
    // pino: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal; in between rounds up.
    return PINO[Math.min(5, Math.max(0, Math.ceil(level / 10) - 1))];
  }
  return undefined;
}

export function msToHrTime(ms: number): HrTime {
  const s = Math.floor(ms / 1000);
  const ns = Math.min(999_999_999, Math.round((ms - s * 1000) * 1e6));
  return [s, ns];
}

export function timeOf(v: unknown, now: HrTime): HrTime {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return msToHrTime(v);
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return msToHrTime(ms);
  }
  return now;
}

export const TRACE_ID = /^[0-9a-f]{32}$/;
export const SPAN_ID = /^[0-9a-f]{16}$/;

export function hexId(v: unknown, re: RegExp): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.toLowerCase();
  return re.test(s) && !/^0+$/.test(s) ? s : undefined;
}

export function flagsOf(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v & 0xff;
  if (typeof v === 'string' && /^[0-9a-f]{1,2}$/i.test(v)) return parseInt(v, 16);
  return 0;
}

export interface RecordContext {
  resource: ReadableLogRecord['resource'];
  scope: ReadableLogRecord['instrumentationScope'];
  /** Observed time of the batch (one clock read per batch, not per record). */
  now: HrTime;
}

/** Parses one line; null when it is not a JSON object. */
export function lineToRecord(line: string, ctx: RecordContext): ReadableLogRecord | null {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
  return objectToRecord(obj as Attrs, ctx);
}

/**
 * Whether key k of a line is an attribute: not time, level or msg; not
 * message when msg is there (message is then the body); not the trace
 * context's keys when they made a valid one; never `__proto__` (assigning it
 * would set a prototype, not an attribute). Shared with proto/logs.ts.
 */
export function isAttribute(k: string, hasMsg: boolean, traced: boolean): boolean {
  switch (k) {
    case 'time': case 'level': case 'msg': case '__proto__': return false;
    case 'message': return hasMsg;
    case 'trace_id': case 'span_id': case 'trace_flags': return !traced;
    default: return true;
  }
}

export function objectToRecord(o: Attrs, ctx: RecordContext): ReadableLogRecord {
  const attributes: Attrs = {};
  const traceId = hexId(o.trace_id, TRACE_ID);
  const spanId = hexId(o.span_id, SPAN_ID);
  const hasMsg = o.msg !== undefined;
  const traced = traceId !== undefined && spanId !== undefined;
  for (const k in o) {
    const v = o[k];
    if (v !== null && v !== undefined && isAttribute(k, hasMsg, traced)) attributes[k] = v;
  }
  const sev = severity(o.level);
  const r: Mutable<ReadableLogRecord> = {
    hrTime: timeOf(o.time, ctx.now),
    hrTimeObserved: ctx.now,
    body: (hasMsg ? o.msg : o.message) as ReadableLogRecord['body'],
    resource: ctx.resource,
    instrumentationScope: ctx.scope,
    attributes: attributes as ReadableLogRecord['attributes'],
    droppedAttributesCount: 0,
  };
  if (sev) {
    r.severityNumber = sev[0];
    r.severityText = sev[1];
  } else if (typeof o.level === 'string' && o.level !== '') {
    r.severityText = o.level;
  }
  if (traced) r.spanContext = { traceId, spanId, traceFlags: flagsOf(o.trace_flags) };
  return r;
}

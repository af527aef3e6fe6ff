/**
 * A structured record (a Fluent event's map, a JSON log line, an HTTP input
 * object) as an OTLP log record. Shared by the fluent_http, fluent_forward
 * and file_tail receivers so that the same line becomes the same record
 * whichever way it came in.
 *
 * - body: the first string of message / msg / log / MESSAGE (removed from
 *   the attributes); with none, the whole record as JSON text.
 * - severity: level / severity / lvl / levelname / log.level (words, pino
 *   numbers, single letters), kept as severityText too.
 * - time: time / timestamp / @timestamp / ts / date (Fluent Bit's json_date_key;
 *   seconds, ms or ns numbers, or
 *   a date string), else the sender's event time, else the receive time.
 * - trace_id / traceId, span_id / spanId: kept when valid hex.
 * - every other key becomes an attribute (nested values kept as values);
 *   at most MAX_FIELDS keys, the rest counted in droppedAttributesCount.
 */
import { LEVEL_TO_SEVERITY, levelFromText } from '@jobscope/core';
import type { AnyValue, Attributes, ExportLogsServiceRequest, LogRecord } from '@jobscope/otlp';

export const MAX_FIELDS = 256;
const BODY_KEYS = ['message', 'msg', 'log', 'MESSAGE'];
const LEVEL_KEYS = ['level', 'severity', 'lvl', 'levelname', 'log.level'];
const TIME_KEYS = ['time', 'timestamp', '@timestamp', 'ts', 'date'];

/** Current time in ns since the epoch, as a decimal string. */
export function nowNanos(): string {
  return (BigInt(Date.now()) * 1_000_000n).toString();
}

/** A time value (seconds / ms / ns number, numeric or date string) in ns, or '' when unusable. */
export function toNanos(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) {
    // string arithmetic where the value is an exact integer (the common cases: ms and s); BigInt otherwise
    if (v > 1e17) return BigInt(Math.trunc(v)).toString(); // already ns
    if (v > 1e14) return Number.isInteger(v) ? `${v}000` : (BigInt(Math.trunc(v)) * 1000n).toString(); // µs
    if (v > 1e11) return Number.isInteger(v) ? `${v}000000` : `${Math.round(v * 1000)}000`; // ms
    if (Number.isInteger(v)) return `${v}000000000`; // s
    return `${Math.round(v * 1e6)}000`; // s with a fraction, to the µs
  }
  if (typeof v === 'string' && v !== '') {
    if (/^\d+(\.\d+)?$/.test(v)) return toNanos(Number(v));
    const ms = Date.parse(v);
    if (Number.isFinite(ms) && ms > 0) return `${ms}000000`;
  }
  return '';
}

function hexId(v: unknown, len: number): string {
  if (typeof v !== 'string' || v.length !== len) return '';
  const s = v.toLowerCase();
  return /^[0-9a-f]+$/.test(s) && !/^0+$/.test(s) ? s : '';
}

/** A JS value as an OTLP AnyValue (undefined/functions/symbols → null; bigint → string). */
export function toAnyValue(v: unknown, depth = 0): AnyValue {
  switch (typeof v) {
    case 'string': case 'boolean': return v;
    case 'number': return Number.isFinite(v) ? v : String(v);
    case 'bigint': return v.toString();
    case 'object': {
      if (v === null) return null;
      if (depth > 16) return '[too deep]';
      if (Array.isArray(v)) return v.map((x) => toAnyValue(x, depth + 1));
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      const out: Record<string, AnyValue> = {};
      for (const k of Object.keys(v)) if (k !== '__proto__') out[k] = toAnyValue((v as Record<string, unknown>)[k], depth + 1);
      return out;
    }
    default: return null;
  }
}

/**
 * One record as a log record. `eventTimeNs` is the sender's event time (Fluent
 * forward / tail read time) in ns, '' if none; `observedNs` the receive time.
 */
export function structuredToLogRecord(record: Record<string, unknown>, eventTimeNs: string, observedNs: string): LogRecord {
  const attributes: Attributes = {};
  let body: AnyValue | undefined;
  let level: string | undefined;
  let time = '';
  let traceId = '';
  let spanId = '';
  let kept = 0;
  let dropped = 0;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (body === undefined && typeof v === 'string' && BODY_KEYS.includes(key)) { body = v; continue; }
    if (level === undefined && (typeof v === 'string' || typeof v === 'number') && LEVEL_KEYS.includes(key)) level = String(v);
    if (time === '' && TIME_KEYS.includes(key)) { time = toNanos(v); if (time !== '') continue; }
    if (traceId === '' && (key === 'trace_id' || key === 'traceId')) { traceId = hexId(v, 32); if (traceId !== '') continue; }
    if (spanId === '' && (key === 'span_id' || key === 'spanId')) { spanId = hexId(v, 16); if (spanId !== '') continue; }
    if (key === '__proto__') continue;
    if (kept >= MAX_FIELDS) { dropped++; continue; }
    attributes[key] = toAnyValue(v);
    kept++;
  }
  const lvl = level === undefined ? undefined : levelFromText(level);
  return {
    timeUnixNano: time || eventTimeNs || observedNs,
    observedTimeUnixNano: observedNs,
    severityNumber: lvl ? LEVEL_TO_SEVERITY[lvl] : 0,
    severityText: level ?? '',
    body: body ?? safeJson(record),
    attributes,
    droppedAttributesCount: dropped,
    flags: 0,
    traceId,
    spanId,
    eventName: '',
  };
}

/** A plain text line as a log record (the line is the body). */
export function textToLogRecord(line: string, eventTimeNs: string, observedNs: string): LogRecord {
  return {
    timeUnixNano: eventTimeNs || observedNs,
    observedTimeUnixNano: observedNs,
    severityNumber: 0,
    severityText: '',
    body: line,
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
}

/** One logs request holding `records` under one resource and scope. */
export function logsRequest(resourceAttributes: Attributes, scopeName: string, records: LogRecord[]): ExportLogsServiceRequest {
  return {
    resourceLogs: [{
      resource: { attributes: resourceAttributes, droppedAttributesCount: 0 },
      scopeLogs: [{
        scope: { name: scopeName, version: '', attributes: {}, droppedAttributesCount: 0 },
        logRecords: records,
        schemaUrl: '',
      }],
      schemaUrl: '',
    }],
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? '';
  } catch {
    return '[unserializable]';
  }
}

/**
 * JSON log lines → ExportLogsServiceRequest protobuf, in one pass: each
 * parsed line is written as a LogRecord straight away, without the
 * ReadableLogRecord (export/record.ts) the official ProtobufLogsSerializer
 * takes, and without its size-estimation pass. The mapping is
 * export/record.ts's, field by field, and the bytes are the official
 * serializer's for those records (logs.test.ts checks byte equality on a
 * corpus and on random lines). About twice as fast; `encoder: 'official'`
 * in the exporter options uses the official serializer instead.
 */
import type { HrTime } from '@opentelemetry/api';
import { flagsOf, hexId, isAttribute, severity, SPAN_ID, timeOf, TRACE_ID } from '../export/record.js';
import { anyValue, I32, keyValue, LEN, resourceBytes, scope, time, VARINT, type ResourceLike, type ScopeLike } from './common.js';
import { ProtoWriter } from './writer.js';

export interface EncodedLogs {
  /** The request's bytes, in the writer's buffer (valid until the writer is used again); null when no line was a JSON object. */
  payload: Buffer | null;
  records: number;
}

/** `now`: the batch's observed time (also the time of a line without one). */
export function encodeLogLines(lines: readonly string[], resource: ResourceLike, sc: ScopeLike, now: HrTime, w: ProtoWriter = new ProtoWriter()): EncodedLogs {
  w.pos = 0;
  w.tag(1, LEN);
  const rl = w.begin();
  w.raw(resourceBytes(resource));
  w.tag(2, LEN);
  const sl = w.begin();
  scope(w, sc);
  let records = 0;
  for (const line of lines) {
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) continue;
    logRecord(w, o as Record<string, unknown>, now);
    records++;
  }
  if (sc.schemaUrl) { w.tag(3, LEN); w.string(sc.schemaUrl); }
  w.end(sl);
  if (resource.schemaUrl) { w.tag(3, LEN); w.string(resource.schemaUrl); }
  w.end(rl);
  return { payload: records > 0 ? w.buf.subarray(0, w.pos) : null, records };
}

/** One LogRecord (field 2 of ScopeLogs) from a parsed line, as objectToRecord + the official serializer would write it. */
function logRecord(w: ProtoWriter, o: Record<string, unknown>, now: HrTime): void {
  w.tag(2, LEN);
  const m = w.begin();
  time(w, 1, timeOf(o.time, now));
  const sev = severity(o.level);
  if (sev) {
    if (sev[0]) { w.tag(2, VARINT); w.varint(sev[0]); }
    if (sev[1]) { w.tag(3, LEN); w.string(sev[1]); }
  } else if (typeof o.level === 'string' && o.level !== '') {
    w.tag(3, LEN);
    w.string(o.level);
  }
  const hasMsg = o.msg !== undefined;
  const body = hasMsg ? o.msg : o.message;
  if (body !== undefined) {
    w.tag(5, LEN);
    const b = w.begin();
    anyValue(w, body);
    w.end(b);
  }
  const traceId = hexId(o.trace_id, TRACE_ID);
  const spanId = hexId(o.span_id, SPAN_ID);
  const ctx = traceId !== undefined && spanId !== undefined;
  for (const k in o) {
    const v = o[k];
    if (v !== null && v !== undefined && isAttribute(k, hasMsg, ctx)) keyValue(w, 6, k, v);
  }
  w.tag(7, VARINT);
  w.varint(0);
  if (ctx) {
    const flags = flagsOf(o.trace_flags);
    if (flags) { w.tag(8, I32); w.fixed32(flags); }
    w.tag(9, LEN);
    w.hexBytes(traceId, 16);
    w.tag(10, LEN);
    w.hexBytes(spanId, 8);
  }
  time(w, 11, now);
  w.end(m);
}

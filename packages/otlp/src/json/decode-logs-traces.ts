/** OTLP/JSON decoding of logs and traces requests. */
import type { AnyValue, ExportLogsServiceRequest, ExportTraceServiceRequest, LogRecord, Span, SpanEvent, SpanLink, SpanStatus } from '../types.js';
import { rethrowAt } from '../wire/malformed.js';
import { anyValue, attributes, decodeEnvelope, each } from './decode-common.js';
import { type Obj, enumOf, get, hexId, obj, str, u32, u64 } from './fields.js';
import { SEVERITY_NUMBERS, SPAN_KINDS, STATUS_CODES } from './enums.js';

function logRecord(o: Obj): LogRecord {
  let body: AnyValue = null;
  try {
    body = anyValue(o.body, 0);
  } catch (e) {
    rethrowAt(e, 'body');
  }
  return {
    timeUnixNano: u64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    observedTimeUnixNano: u64(get(o, 'observedTimeUnixNano', 'observed_time_unix_nano'), 'observedTimeUnixNano'),
    severityNumber: enumOf(get(o, 'severityNumber', 'severity_number'), SEVERITY_NUMBERS, 'severityNumber'),
    severityText: str(get(o, 'severityText', 'severity_text'), 'severityText'),
    body,
    attributes: attributes(o.attributes, 'attributes'),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    flags: u32(o.flags, 'flags'),
    traceId: hexId(get(o, 'traceId', 'trace_id'), 16, 'traceId'),
    spanId: hexId(get(o, 'spanId', 'span_id'), 8, 'spanId'),
    eventName: str(get(o, 'eventName', 'event_name'), 'eventName'),
  };
}

export function decodeLogsJson(root: unknown): ExportLogsServiceRequest {
  const resourceLogs = decodeEnvelope(
    root,
    [['resourceLogs', 'resource_logs'], ['scopeLogs', 'scope_logs'], ['logRecords', 'log_records']],
    logRecord,
    (scope, logRecords: LogRecord[], schemaUrl) => ({ scope, logRecords, schemaUrl }),
    (resource, scopeLogs, schemaUrl) => ({ resource, scopeLogs, schemaUrl }),
  );
  return { resourceLogs };
}

function spanEvent(o: Obj): SpanEvent {
  return {
    timeUnixNano: u64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    name: str(o.name, 'name'),
    attributes: attributes(o.attributes, 'attributes'),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
  };
}

function spanLink(o: Obj): SpanLink {
  return {
    traceId: hexId(get(o, 'traceId', 'trace_id'), 16, 'traceId'),
    spanId: hexId(get(o, 'spanId', 'span_id'), 8, 'spanId'),
    traceState: str(get(o, 'traceState', 'trace_state'), 'traceState'),
    attributes: attributes(o.attributes, 'attributes'),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    flags: u32(o.flags, 'flags'),
  };
}

function spanStatus(v: unknown): SpanStatus {
  const o = obj(v, 'status');
  if (o === undefined) return { message: '', code: 0 };
  return { message: str(o.message, 'status.message'), code: enumOf(o.code, STATUS_CODES, 'status.code') };
}

function span(o: Obj): Span {
  return {
    traceId: hexId(get(o, 'traceId', 'trace_id'), 16, 'traceId'),
    spanId: hexId(get(o, 'spanId', 'span_id'), 8, 'spanId'),
    traceState: str(get(o, 'traceState', 'trace_state'), 'traceState'),
    parentSpanId: hexId(get(o, 'parentSpanId', 'parent_span_id'), 8, 'parentSpanId'),
    flags: u32(o.flags, 'flags'),
    name: str(o.name, 'name'),
    kind: enumOf(o.kind, SPAN_KINDS, 'kind'),
    startTimeUnixNano: u64(get(o, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
    endTimeUnixNano: u64(get(o, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
    attributes: attributes(o.attributes, 'attributes'),
    droppedAttributesCount: u32(get(o, 'droppedAttributesCount', 'dropped_attributes_count'), 'droppedAttributesCount'),
    events: each(o.events, 'events', spanEvent),
    droppedEventsCount: u32(get(o, 'droppedEventsCount', 'dropped_events_count'), 'droppedEventsCount'),
    links: each(o.links, 'links', spanLink),
    droppedLinksCount: u32(get(o, 'droppedLinksCount', 'dropped_links_count'), 'droppedLinksCount'),
    status: spanStatus(o.status),
  };
}

export function decodeTracesJson(root: unknown): ExportTraceServiceRequest {
  const resourceSpans = decodeEnvelope(
    root,
    [['resourceSpans', 'resource_spans'], ['scopeSpans', 'scope_spans'], ['spans', 'spans']],
    span,
    (scope, spans: Span[], schemaUrl) => ({ scope, spans, schemaUrl }),
    (resource, scopeSpans, schemaUrl) => ({ resource, scopeSpans, schemaUrl }),
  );
  return { resourceSpans };
}

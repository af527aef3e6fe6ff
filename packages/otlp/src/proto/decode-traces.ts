/** Protobuf decoding of ExportTraceServiceRequest (collector/trace/v1, trace/v1). */
import type { Attributes, ExportTraceServiceRequest, Span, SpanEvent, SpanLink, SpanStatus } from '../types.js';
import { rethrowAt } from '../wire/malformed.js';
import type { ProtoReader } from '../wire/reader.js';
import { attribute, decodeEnvelope } from './decode-common.js';

/** Span.Event (tag already consumed). */
function spanEvent(r: ProtoReader): SpanEvent {
  const pe = r.enter();
  let timeUnixNano = '0';
  let name = '';
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: // 1 time_unix_nano, fixed64
        timeUnixNano = r.fixed64String();
        continue;
      case 18: // 2 name
        name = r.string();
        continue;
      case 26: // 3 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 32: // 4 dropped_attributes_count
        droppedAttributesCount = r.uint32();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return { timeUnixNano, name, attributes, droppedAttributesCount };
}

/** Span.Link (tag already consumed). */
function spanLink(r: ProtoReader): SpanLink {
  const pe = r.enter();
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  let flags = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 trace_id
        traceId = r.id(16, 'traceId');
        continue;
      case 18: // 2 span_id
        spanId = r.id(8, 'spanId');
        continue;
      case 26: // 3 trace_state
        traceState = r.string();
        continue;
      case 34: // 4 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 40: // 5 dropped_attributes_count
        droppedAttributesCount = r.uint32();
        continue;
      case 53: // 6 flags, fixed32
        flags = r.fixed32();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return { traceId, spanId, traceState, attributes, droppedAttributesCount, flags };
}

/** Status (tag already consumed); field 1 is reserved (the old deprecated_code). */
function spanStatus(r: ProtoReader): SpanStatus {
  const pe = r.enter();
  let message = '';
  let code = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 18) message = r.string(); // 2 message
    else if (tag === 24) code = r.int32(); // 3 code, enum
    else r.skip(tag & 7);
  }
  r.leave(pe);
  return { message, code };
}

/** One Span (tag already consumed). */
function span(r: ProtoReader): Span {
  const pe = r.enter();
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let parentSpanId = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = '0';
  let endTimeUnixNano = '0';
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  let status: SpanStatus = { message: '', code: 0 };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 trace_id
        traceId = r.id(16, 'traceId');
        continue;
      case 18: // 2 span_id
        spanId = r.id(8, 'spanId');
        continue;
      case 26: // 3 trace_state
        traceState = r.string();
        continue;
      case 34: // 4 parent_span_id
        parentSpanId = r.id(8, 'parentSpanId');
        continue;
      case 42: // 5 name
        name = r.string();
        continue;
      case 48: // 6 kind, enum
        kind = r.int32();
        continue;
      case 57: // 7 start_time_unix_nano, fixed64
        startTimeUnixNano = r.fixed64String();
        continue;
      case 65: // 8 end_time_unix_nano, fixed64
        endTimeUnixNano = r.fixed64String();
        continue;
      case 74: // 9 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 80: // 10 dropped_attributes_count
        droppedAttributesCount = r.uint32();
        continue;
      case 90: // 11 events
        try {
          events.push(spanEvent(r));
        } catch (e) {
          rethrowAt(e, `events[${events.length}]`);
        }
        continue;
      case 96: // 12 dropped_events_count
        droppedEventsCount = r.uint32();
        continue;
      case 106: // 13 links
        try {
          links.push(spanLink(r));
        } catch (e) {
          rethrowAt(e, `links[${links.length}]`);
        }
        continue;
      case 112: // 14 dropped_links_count
        droppedLinksCount = r.uint32();
        continue;
      case 122: // 15 status
        try {
          status = spanStatus(r);
        } catch (e) {
          rethrowAt(e, 'status');
        }
        continue;
      case 133: // 16 flags, fixed32
        flags = r.fixed32();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return {
    traceId,
    spanId,
    traceState,
    parentSpanId,
    flags,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    status,
  };
}

export function decodeTracesProto(r: ProtoReader): ExportTraceServiceRequest {
  const resourceSpans = decodeEnvelope(
    r,
    ['resourceSpans', 'scopeSpans', 'spans'],
    span,
    (scope, spans: Span[], schemaUrl) => ({ scope, spans, schemaUrl }),
    (resource, scopeSpans, schemaUrl) => ({ resource, scopeSpans, schemaUrl }),
  );
  return { resourceSpans };
}

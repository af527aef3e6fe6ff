/** Protobuf decoding of ExportLogsServiceRequest (collector/logs/v1, logs/v1). */
import type { AnyValue, Attributes, ExportLogsServiceRequest, LogRecord } from '../types.js';
import { rethrowAt } from '../wire/malformed.js';
import type { ProtoReader } from '../wire/reader.js';
import { anyValue, attribute, decodeEnvelope } from './decode-common.js';

/** One LogRecord (tag already consumed). */
function logRecord(r: ProtoReader): LogRecord {
  const pe = r.enter();
  let timeUnixNano = '0';
  let observedTimeUnixNano = '0';
  let severityNumber = 0;
  let severityText = '';
  let body: AnyValue = null;
  const attributes: Attributes = {};
  let droppedAttributesCount = 0;
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: // 1 time_unix_nano, fixed64
        timeUnixNano = r.fixed64String();
        continue;
      case 89: // 11 observed_time_unix_nano, fixed64
        observedTimeUnixNano = r.fixed64String();
        continue;
      case 16: // 2 severity_number, enum
        severityNumber = r.int32();
        continue;
      case 26: // 3 severity_text
        severityText = r.key();
        continue;
      case 42: { // 5 body, AnyValue
        const p = r.enter();
        try {
          body = anyValue(r, 0);
        } catch (e) {
          rethrowAt(e, 'body');
        }
        r.leave(p);
        continue;
      }
      case 50: // 6 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 56: // 7 dropped_attributes_count
        droppedAttributesCount = r.uint32();
        continue;
      case 69: // 8 flags, fixed32
        flags = r.fixed32();
        continue;
      case 74: // 9 trace_id
        traceId = r.id(16, 'traceId');
        continue;
      case 82: // 10 span_id
        spanId = r.id(8, 'spanId');
        continue;
      case 98: // 12 event_name
        eventName = r.string();
        continue;
      default: // 4 is reserved (the old `name`)
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return {
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber,
    severityText,
    body,
    attributes,
    droppedAttributesCount,
    flags,
    traceId,
    spanId,
    eventName,
  };
}

export function decodeLogsProto(r: ProtoReader): ExportLogsServiceRequest {
  const resourceLogs = decodeEnvelope(
    r,
    ['resourceLogs', 'scopeLogs', 'logRecords'],
    logRecord,
    (scope, logRecords: LogRecord[], schemaUrl) => ({ scope, logRecords, schemaUrl }),
    (resource, scopeLogs, schemaUrl) => ({ resource, scopeLogs, schemaUrl }),
  );
  return { resourceLogs };
}

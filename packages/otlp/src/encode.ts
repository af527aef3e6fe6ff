/**
 * OTLP/HTTP encoding: export requests (the inverse of decodeRequest, for the
 * agent's exporter, the SDK and tests), export responses with optional
 * partial success, and the google.rpc.Status body of failed requests.
 */
import type { Encoding } from './decode.js';
import { Builder, type Wire } from './encode-build.js';
import { encodeLogsProto } from './encode-logs-proto.js';
import { types } from './proto/descriptor.js';
import type {
  ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, PartialSuccess, RequestBySignal, Signal,
} from './types.js';

/** The general path for protobuf logs (kept for the parity test of encodeLogsProto). */
export function encodeLogsViaWire(request: ExportLogsServiceRequest): Uint8Array {
  return types.request.logs.encode(requestWire('logs', request, PROTO)).finish();
}

/** Content-Type header value for each encoding. */
export const CONTENT_TYPES: Readonly<Record<Encoding, string>> = Object.freeze({
  protobuf: 'application/x-protobuf',
  json: 'application/json',
});

const PROTO = new Builder(false);
const JSON_ = new Builder(true);

function requestWire(signal: Signal, req: RequestBySignal[Signal], b: Builder): Wire {
  switch (signal) {
    case 'logs':
      return {
        resourceLogs: (req as ExportLogsServiceRequest).resourceLogs.map((rl) => ({
          resource: b.resource(rl.resource),
          scopeLogs: rl.scopeLogs.map((sl) => ({
            scope: b.scope(sl.scope),
            logRecords: sl.logRecords.map((l) => b.logRecord(l)),
            schemaUrl: b.str(sl.schemaUrl),
          })),
          schemaUrl: b.str(rl.schemaUrl),
        })),
      };
    case 'traces':
      return {
        resourceSpans: (req as ExportTraceServiceRequest).resourceSpans.map((rs) => ({
          resource: b.resource(rs.resource),
          scopeSpans: rs.scopeSpans.map((ss) => ({
            scope: b.scope(ss.scope),
            spans: ss.spans.map((s) => b.span(s)),
            schemaUrl: b.str(ss.schemaUrl),
          })),
          schemaUrl: b.str(rs.schemaUrl),
        })),
      };
    case 'metrics':
      return {
        resourceMetrics: (req as ExportMetricsServiceRequest).resourceMetrics.map((rm) => ({
          resource: b.resource(rm.resource),
          scopeMetrics: rm.scopeMetrics.map((sm) => ({
            scope: b.scope(sm.scope),
            metrics: sm.metrics.map((m) => b.metric(m)),
            schemaUrl: b.str(sm.schemaUrl),
          })),
          schemaUrl: b.str(rm.schemaUrl),
        })),
      };
  }
}

function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * Encodes an export request. Numbers in AnyValues are sent as intValue when
 * they are integers within ±2^53 (else doubleValue); data point and exemplar
 * values as asDouble. Throws PermanentError for ids or 64-bit strings that
 * are not valid.
 */
export function encodeRequest<S extends Signal>(signal: S, request: RequestBySignal[S], encoding: Encoding): Uint8Array {
  if (encoding === 'json') return jsonBytes(requestWire(signal, request, JSON_));
  if (signal === 'logs') return encodeLogsProto(request as ExportLogsServiceRequest);
  return types.request[signal].encode(requestWire(signal, request, PROTO)).finish();
}

const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  logs: 'rejectedLogRecords',
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
};

/**
 * Encodes Export<Signal>ServiceResponse. Without a partial success (or with
 * rejected 0 and no message, which means the same) the body is empty in
 * protobuf and `{}` in JSON.
 */
export function encodeResponse(signal: Signal, partialSuccess: PartialSuccess | undefined, encoding: Encoding): Uint8Array {
  const ps =
    partialSuccess !== undefined && (partialSuccess.rejected !== 0 || partialSuccess.errorMessage !== '')
      ? {
          [REJECTED_FIELD[signal]]: partialSuccess.rejected === 0 ? undefined : encoding === 'json' ? String(partialSuccess.rejected) : partialSuccess.rejected,
          errorMessage: partialSuccess.errorMessage === '' ? undefined : partialSuccess.errorMessage,
        }
      : undefined;
  if (encoding === 'json') return jsonBytes(ps === undefined ? {} : { partialSuccess: ps });
  return types.response[signal].encode({ partialSuccess: ps }).finish();
}

/** google.rpc.Code values used for OTLP/HTTP error bodies. */
export const RPC_CODES = Object.freeze({
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const);

/** The google.rpc.Code that best describes an HTTP error status. */
export function rpcCodeForHttpStatus(status: number): number {
  switch (status) {
    case 400: case 413: case 415: return RPC_CODES.INVALID_ARGUMENT;
    case 401: return RPC_CODES.UNAUTHENTICATED;
    case 403: return RPC_CODES.PERMISSION_DENIED;
    case 404: return RPC_CODES.NOT_FOUND;
    case 429: return RPC_CODES.RESOURCE_EXHAUSTED;
    case 501: return RPC_CODES.UNIMPLEMENTED;
    case 502: case 503: return RPC_CODES.UNAVAILABLE;
    case 504: return RPC_CODES.DEADLINE_EXCEEDED;
    default: return status >= 500 ? RPC_CODES.INTERNAL : RPC_CODES.UNKNOWN;
  }
}

/**
 * A google.rpc.Status { int32 code = 1; string message = 2 } body, which the
 * OTLP/HTTP spec requires on every 4xx/5xx response, in the request's
 * encoding. `code` is a google.rpc.Code (see RPC_CODES), not an HTTP status.
 */
export function encodeStatus(code: number, message: string, encoding: Encoding = 'protobuf'): Uint8Array {
  if (encoding === 'json') return jsonBytes({ code, message });
  return types.status.encode({ code: code === 0 ? undefined : code, message: message === '' ? undefined : message }).finish();
}

/**
 * The API's shape of a span (otel_traces row): camelCase OpenTelemetry
 * fields plus the job columns under their canonical names, RFC 3339 times
 * with nanoseconds. Shared by /api/traces, /api/spans and the job timeline.
 */
import { sql } from '../query/index.js';
import { nsToIso } from './params.js';

/** Columns selected for span views (trusted text; no user input). */
export const SPAN_VIEW_COLUMNS = sql`toString(toUnixTimestamp64Nano(Timestamp)) AS ts, TraceId, SpanId, ParentSpanId, TraceState,
  SpanName, SpanKind, ServiceName, ScopeName, ScopeVersion, toString(Duration) AS DurationNs, StatusCode, StatusMessage,
  SpanAttributes, ResourceAttributes,
  arrayMap(t -> toString(toUnixTimestamp64Nano(t)), \`Events.Timestamp\`) AS EventTimes, \`Events.Name\` AS EventNames,
  \`Events.Attributes\` AS EventAttributes, \`Links.TraceId\` AS LinkTraceIds, \`Links.SpanId\` AS LinkSpanIds,
  \`Links.TraceState\` AS LinkTraceStates, \`Links.Attributes\` AS LinkAttributes,
  JobId, MachineId, WorkerId, ServiceType, Dataset`;

export interface SpanViewRow {
  ts: string; TraceId: string; SpanId: string; ParentSpanId: string; TraceState: string; SpanName: string; SpanKind: string;
  ServiceName: string; ScopeName: string; ScopeVersion: string; DurationNs: string; StatusCode: string; StatusMessage: string;
  SpanAttributes: Record<string, string>; ResourceAttributes: Record<string, string>;
  EventTimes: string[]; EventNames: string[]; EventAttributes: Record<string, string>[];
  LinkTraceIds: string[]; LinkSpanIds: string[]; LinkTraceStates: string[]; LinkAttributes: Record<string, string>[];
  JobId: string; MachineId: string; WorkerId: string; ServiceType: string; Dataset: string;
}

export interface SpanEvent { name: string; time: string; timeNs: string; attributes: Record<string, string> }
export interface SpanLink { traceId: string; spanId: string; traceState: string; attributes: Record<string, string> }

export interface SpanView {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** Internal, Server, Client, Producer, Consumer or Unspecified. */
  kind: string;
  serviceName: string;
  startTime: string;
  startTimeNs: string;
  endTime: string;
  endTimeNs: string;
  durationMs: number;
  /** Unset, Ok or Error. */
  statusCode: string;
  statusMessage: string;
  traceState: string;
  scope: { name: string; version: string };
  attributes: Record<string, string>;
  resource: Record<string, string>;
  events: SpanEvent[];
  links: SpanLink[];
  job_id: string;
  machine_id: string;
  worker_id: string;
  service_type: string;
  dataset: string;
}

/**
 * SpanKind/StatusCode as Jobscope's ingest stores them (`Server`, `Error`):
 * rows a stock OpenTelemetry Collector wrote with the proto enum names
 * (`SPAN_KIND_SERVER`, `STATUS_CODE_ERROR`) read the same.
 */
export function otelEnumName(v: string, prefix: 'SPAN_KIND_' | 'STATUS_CODE_'): string {
  if (!v.startsWith(prefix)) return v;
  const w = v.slice(prefix.length).toLowerCase();
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** StatusCode values that mean an error, in both spellings (for SQL: bind each as a parameter). */
export const ERROR_STATUS_CODES = ['Error', 'STATUS_CODE_ERROR'] as const;

/** Nanoseconds (decimal string) → milliseconds with the sub-millisecond part. */
export const nsToMs = (ns: string | bigint): number => Number(BigInt(ns)) / 1e6;

export function toSpanView(r: SpanViewRow): SpanView {
  const start = BigInt(r.ts);
  const dur = BigInt(r.DurationNs || '0');
  const end = (start + dur).toString();
  return {
    traceId: r.TraceId, spanId: r.SpanId, parentSpanId: r.ParentSpanId, name: r.SpanName,
    kind: otelEnumName(r.SpanKind, 'SPAN_KIND_'), serviceName: r.ServiceName,
    startTime: nsToIso(r.ts), startTimeNs: r.ts, endTime: nsToIso(end), endTimeNs: end, durationMs: nsToMs(dur),
    statusCode: otelEnumName(r.StatusCode, 'STATUS_CODE_'), statusMessage: r.StatusMessage, traceState: r.TraceState,
    scope: { name: r.ScopeName, version: r.ScopeVersion },
    attributes: r.SpanAttributes, resource: r.ResourceAttributes,
    events: (r.EventNames ?? []).map((name, i) => ({
      name, time: nsToIso(r.EventTimes[i] ?? '0'), timeNs: r.EventTimes[i] ?? '0', attributes: r.EventAttributes[i] ?? {},
    })),
    links: (r.LinkSpanIds ?? []).map((spanId, i) => ({
      traceId: r.LinkTraceIds[i] ?? '', spanId, traceState: r.LinkTraceStates[i] ?? '', attributes: r.LinkAttributes[i] ?? {},
    })),
    job_id: r.JobId, machine_id: r.MachineId, worker_id: r.WorkerId, service_type: r.ServiceType, dataset: r.Dataset,
  };
}

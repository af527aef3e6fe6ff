/** The API's shape of a log row: canonical names, RFC 3339 times with nanoseconds. */
import { nsToIso } from './params.js';

import { selectList } from './select-list.js';

/** Columns selected for log views. */
export const LOG_VIEW_COLUMNS = selectList([
  ['toString(toUnixTimestamp64Nano(Timestamp))', 'ts'],
  ...['SeverityText', 'SeverityNumber', 'Body', 'JobId', 'MachineId', 'WorkerId', 'ServiceType', 'ConnectorId',
    'EventType', 'Dataset', 'TraceId', 'SpanId', 'ServiceName', 'LogAttributes', 'ResourceAttributes'].map((c) => [c, c] as const),
]);

export interface LogViewRow {
  ts: string; SeverityText: string; SeverityNumber: number; Body: string; JobId: string; MachineId: string;
  WorkerId: string; ServiceType: string; ConnectorId: string; EventType: string; Dataset: string; TraceId: string;
  SpanId: string; ServiceName: string; LogAttributes: Record<string, string>; ResourceAttributes: Record<string, string>;
}

export interface LogView {
  timestamp: string;
  timestamp_ns: string;
  level: string;
  severity: number;
  message: string;
  job_id: string;
  machine_id: string;
  worker_id: string;
  service_type: string;
  connector_id: string;
  event_type: string;
  dataset: string;
  trace_id: string;
  span_id: string;
  service_name: string;
  attributes: Record<string, string>;
  resource: Record<string, string>;
}

export function toLogView(r: LogViewRow): LogView {
  return {
    timestamp: nsToIso(r.ts), timestamp_ns: r.ts, level: r.SeverityText, severity: r.SeverityNumber, message: r.Body,
    job_id: r.JobId, machine_id: r.MachineId, worker_id: r.WorkerId, service_type: r.ServiceType,
    connector_id: r.ConnectorId, event_type: r.EventType, dataset: r.Dataset, trace_id: r.TraceId, span_id: r.SpanId,
    service_name: r.ServiceName, attributes: r.LogAttributes, resource: r.ResourceAttributes,
  };
}

/** The same view from a row that was just ingested (live tail). */
export function logRowToView(r: import('@jobscope/core').LogRow): LogView {
  return toLogView({ ...r, ts: r.Timestamp });
}

/**
 * Storage rows: one interface per table, field names equal to the column
 * names, so a row serializes to a JSONEachRow line as it is.
 *
 * Tables follow the OpenTelemetry Collector ClickHouse exporter's default
 * schema (otel_logs, otel_traces, otel_metrics_*) plus Jobscope's job columns.
 * Timestamps are unix nanoseconds as decimal strings (ClickHouse parses a
 * quoted integer into DateTime64(9) exactly; JS numbers would lose precision).
 */

export type AttrMap = Record<string, string>;

/** Columns Jobscope adds to logs and spans (first-class job dimensions). */
export interface JobColumns {
  JobId: string;
  MachineId: string;
  WorkerId: string;
  ServiceType: string;
  ConnectorId: string;
  EventType: string;
  Dataset: string;
}

/** otel_logs (events are log records whose EventType is set). */
export interface LogRow extends JobColumns {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  TraceFlags: number;
  SeverityText: string;
  SeverityNumber: number;
  ServiceName: string;
  Body: string;
  ResourceSchemaUrl: string;
  ResourceAttributes: AttrMap;
  ScopeSchemaUrl: string;
  ScopeName: string;
  ScopeVersion: string;
  ScopeAttributes: AttrMap;
  LogAttributes: AttrMap;
}

export interface SpanEventRow { Timestamp: string; Name: string; Attributes: AttrMap }
export interface SpanLinkRow { TraceId: string; SpanId: string; TraceState: string; Attributes: AttrMap }

/** otel_traces. Nested columns are given as parallel arrays (`Events.Name` …). */
export interface SpanRow extends Omit<JobColumns, 'EventType' | 'ConnectorId'> {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: AttrMap;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: AttrMap;
  /** Nanoseconds. */
  Duration: string;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': AttrMap[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': AttrMap[];
}

/** Columns shared by every otel_metrics_* table. */
export interface MetricBaseRow {
  ResourceAttributes: AttrMap;
  ResourceSchemaUrl: string;
  ScopeName: string;
  ScopeVersion: string;
  ScopeAttributes: AttrMap;
  ScopeDroppedAttrCount: number;
  ScopeSchemaUrl: string;
  ServiceName: string;
  MetricName: string;
  MetricDescription: string;
  MetricUnit: string;
  Attributes: AttrMap;
  StartTimeUnix: string;
  TimeUnix: string;
  Flags: number;
  'Exemplars.FilteredAttributes': AttrMap[];
  'Exemplars.TimeUnix': string[];
  'Exemplars.Value': number[];
  'Exemplars.SpanId': string[];
  'Exemplars.TraceId': string[];
  Dataset: string;
}

export interface GaugeRow extends MetricBaseRow { Value: number }
export interface SumRow extends MetricBaseRow { Value: number; AggregationTemporality: number; IsMonotonic: boolean }
export interface HistogramRow extends MetricBaseRow {
  Count: string; Sum: number; BucketCounts: string[]; ExplicitBounds: number[];
  Min: number; Max: number; AggregationTemporality: number;
}
export interface ExpHistogramRow extends MetricBaseRow {
  Count: string; Sum: number; Scale: number; ZeroCount: string;
  PositiveOffset: number; PositiveBucketCounts: string[];
  NegativeOffset: number; NegativeBucketCounts: string[];
  Min: number; Max: number; AggregationTemporality: number;
}
export interface SummaryRow extends MetricBaseRow {
  Count: string; Sum: number;
  'ValueAtQuantiles.Quantile': number[]; 'ValueAtQuantiles.Value': number[];
}

/** Table name → row type, the unit the write path batches by. */
export interface TableRows {
  otel_logs: LogRow;
  otel_traces: SpanRow;
  otel_metrics_gauge: GaugeRow;
  otel_metrics_sum: SumRow;
  otel_metrics_histogram: HistogramRow;
  otel_metrics_exponential_histogram: ExpHistogramRow;
  otel_metrics_summary: SummaryRow;
}
export type TableName = keyof TableRows;
export const DATA_TABLES: readonly TableName[] = [
  'otel_logs', 'otel_traces', 'otel_metrics_gauge', 'otel_metrics_sum',
  'otel_metrics_histogram', 'otel_metrics_exponential_histogram', 'otel_metrics_summary',
];

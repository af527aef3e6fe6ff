/**
 * Decoded OTLP export requests, one shape for both encodings (protobuf and
 * JSON). Differences from the wire:
 * - attributes are flattened into plain objects (last key wins);
 * - trace/span ids are lowercase hex strings, '' when absent or all-zero;
 * - 64-bit nanosecond times and counts are decimal strings ('0' when unset),
 *   because JS numbers lose precision past 2^53;
 * - absent fields get their proto3 defaults ('' / 0 / [] / {}).
 */

/** An OTLP AnyValue. bytes become a base64 string; kvlist becomes an object. */
export type AnyValue = string | number | boolean | null | AnyValue[] | { [key: string]: AnyValue };
export type Attributes = Record<string, AnyValue>;

export interface Resource { attributes: Attributes; droppedAttributesCount: number }
export interface InstrumentationScope { name: string; version: string; attributes: Attributes; droppedAttributesCount: number }

// ---- logs -------------------------------------------------------------------
export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}
export interface ScopeLogs { scope: InstrumentationScope; logRecords: LogRecord[]; schemaUrl: string }
export interface ResourceLogs { resource: Resource; scopeLogs: ScopeLogs[]; schemaUrl: string }
export interface ExportLogsServiceRequest { resourceLogs: ResourceLogs[] }

// ---- traces -----------------------------------------------------------------
export interface SpanEvent { timeUnixNano: string; name: string; attributes: Attributes; droppedAttributesCount: number }
export interface SpanLink { traceId: string; spanId: string; traceState: string; attributes: Attributes; droppedAttributesCount: number; flags: number }
export interface SpanStatus { message: string; /** 0 unset, 1 ok, 2 error */ code: number }
export interface Span {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  /** 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: SpanStatus;
}
export interface ScopeSpans { scope: InstrumentationScope; spans: Span[]; schemaUrl: string }
export interface ResourceSpans { resource: Resource; scopeSpans: ScopeSpans[]; schemaUrl: string }
export interface ExportTraceServiceRequest { resourceSpans: ResourceSpans[] }

// ---- metrics ----------------------------------------------------------------
export interface Exemplar {
  filteredAttributes: Attributes;
  timeUnixNano: string;
  /** as_double or as_int (as a number) */
  value: number;
  spanId: string;
  traceId: string;
}
export interface NumberDataPoint {
  attributes: Attributes;
  startTimeUnixNano: string;
  timeUnixNano: string;
  /** as_double or as_int (as a number) */
  value: number;
  exemplars: Exemplar[];
  flags: number;
}
export interface HistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: string;
  timeUnixNano: string;
  count: string;
  sum: number;
  bucketCounts: string[];
  explicitBounds: number[];
  exemplars: Exemplar[];
  flags: number;
  min: number;
  max: number;
}
export interface ExponentialHistogramBuckets { offset: number; bucketCounts: string[] }
export interface ExponentialHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: string;
  timeUnixNano: string;
  count: string;
  sum: number;
  scale: number;
  zeroCount: string;
  positive: ExponentialHistogramBuckets;
  negative: ExponentialHistogramBuckets;
  flags: number;
  exemplars: Exemplar[];
  min: number;
  max: number;
  zeroThreshold: number;
}
export interface SummaryDataPoint {
  attributes: Attributes;
  startTimeUnixNano: string;
  timeUnixNano: string;
  count: string;
  sum: number;
  quantileValues: { quantile: number; value: number }[];
  flags: number;
}
export type MetricData =
  | { type: 'gauge'; dataPoints: NumberDataPoint[] }
  | { type: 'sum'; dataPoints: NumberDataPoint[]; aggregationTemporality: number; isMonotonic: boolean }
  | { type: 'histogram'; dataPoints: HistogramDataPoint[]; aggregationTemporality: number }
  | { type: 'exponentialHistogram'; dataPoints: ExponentialHistogramDataPoint[]; aggregationTemporality: number }
  | { type: 'summary'; dataPoints: SummaryDataPoint[] }
  | { type: 'empty' };
export interface Metric { name: string; description: string; unit: string; data: MetricData; metadata: Attributes }
export interface ScopeMetrics { scope: InstrumentationScope; metrics: Metric[]; schemaUrl: string }
export interface ResourceMetrics { resource: Resource; scopeMetrics: ScopeMetrics[]; schemaUrl: string }
export interface ExportMetricsServiceRequest { resourceMetrics: ResourceMetrics[] }

export type Signal = 'logs' | 'traces' | 'metrics';
export interface RequestBySignal {
  logs: ExportLogsServiceRequest;
  traces: ExportTraceServiceRequest;
  metrics: ExportMetricsServiceRequest;
}

/** Partial success reported back to the client (OTLP spec). */
export interface PartialSuccess { rejected: number; errorMessage: string }

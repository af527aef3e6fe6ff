/**
 * The OTLP protobuf messages as a protobufjs JSON descriptor, from the field
 * numbers of opentelemetry-proto (common/v1, resource/v1, logs/v1,
 * trace/v1, metrics/v1, collector/{logs,trace,metrics}/v1) and
 * google/rpc/status.proto. Field names are lowerCamelCase (the OTLP/JSON
 * names) so one plain object serves both encodings in encode.ts.
 *
 * The hot decoding path does not use this (see decode-*.ts, hand-written for
 * speed); it encodes, and tests decode through it to cross-check the
 * hand-written decoders' field numbers.
 */
import protobuf from 'protobufjs';

type FieldJson = { type: string; id: number; rule?: 'repeated' };
const f = (type: string, id: number): FieldJson => ({ type, id });
const rep = (type: string, id: number): FieldJson => ({ type, id, rule: 'repeated' });
/** A proto3 message (repeated scalars packed). */
const msg = (fields: Record<string, FieldJson>, oneofs?: Record<string, string[]>, nested?: Record<string, object>) => ({
  edition: 'proto3',
  fields,
  ...(oneofs ? { oneofs: Object.fromEntries(Object.entries(oneofs).map(([k, v]) => [k, { oneof: v }])) } : {}),
  ...(nested ? { nested } : {}),
});
const ns = (nested: Record<string, object>) => ({ nested });

const C = '.opentelemetry.proto.common.v1.';
const R = '.opentelemetry.proto.resource.v1.';

const common = {
  AnyValue: msg(
    {
      stringValue: f('string', 1),
      boolValue: f('bool', 2),
      intValue: f('int64', 3),
      doubleValue: f('double', 4),
      arrayValue: f(C + 'ArrayValue', 5),
      kvlistValue: f(C + 'KeyValueList', 6),
      bytesValue: f('bytes', 7),
    },
    { value: ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'] },
  ),
  ArrayValue: msg({ values: rep(C + 'AnyValue', 1) }),
  KeyValueList: msg({ values: rep(C + 'KeyValue', 1) }),
  KeyValue: msg({ key: f('string', 1), value: f(C + 'AnyValue', 2) }),
  InstrumentationScope: msg({
    name: f('string', 1),
    version: f('string', 2),
    attributes: rep(C + 'KeyValue', 3),
    droppedAttributesCount: f('uint32', 4),
  }),
  EntityRef: msg({ schemaUrl: f('string', 1), type: f('string', 2), idKeys: rep('string', 3), descriptionKeys: rep('string', 4) }),
};

const resource = {
  Resource: msg({ attributes: rep(C + 'KeyValue', 1), droppedAttributesCount: f('uint32', 2), entityRefs: rep(C + 'EntityRef', 3) }),
};

/** Resource<X> { resource = 1; repeated Scope<X> = 2; schema_url = 3 } and Scope<X> alike. */
const envelope = (scopeType: string, scopeField: string, itemType: string, itemField: string) => ({
  [`Resource${scopeType.slice(5)}`]: msg({ resource: f(R + 'Resource', 1), [scopeField]: rep(scopeType, 2), schemaUrl: f('string', 3) }),
  [scopeType]: msg({ scope: f(C + 'InstrumentationScope', 1), [itemField]: rep(itemType, 2), schemaUrl: f('string', 3) }),
});

const severities: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((level, i) => {
  severities[`SEVERITY_NUMBER_${level}`] = i * 4 + 1;
  for (let k = 2; k <= 4; k++) severities[`SEVERITY_NUMBER_${level}${k}`] = i * 4 + k;
});

const logs = {
  ...envelope('ScopeLogs', 'scopeLogs', 'LogRecord', 'logRecords'),
  LogsData: msg({ resourceLogs: rep('ResourceLogs', 1) }),
  SeverityNumber: { values: severities },
  LogRecord: msg({
    timeUnixNano: f('fixed64', 1),
    observedTimeUnixNano: f('fixed64', 11),
    severityNumber: f('SeverityNumber', 2),
    severityText: f('string', 3),
    body: f(C + 'AnyValue', 5),
    attributes: rep(C + 'KeyValue', 6),
    droppedAttributesCount: f('uint32', 7),
    flags: f('fixed32', 8),
    traceId: f('bytes', 9),
    spanId: f('bytes', 10),
    eventName: f('string', 12),
  }),
};

const trace = {
  ...envelope('ScopeSpans', 'scopeSpans', 'Span', 'spans'),
  TracesData: msg({ resourceSpans: rep('ResourceSpans', 1) }),
  Span: msg(
    {
      traceId: f('bytes', 1),
      spanId: f('bytes', 2),
      traceState: f('string', 3),
      parentSpanId: f('bytes', 4),
      flags: f('fixed32', 16),
      name: f('string', 5),
      kind: f('SpanKind', 6),
      startTimeUnixNano: f('fixed64', 7),
      endTimeUnixNano: f('fixed64', 8),
      attributes: rep(C + 'KeyValue', 9),
      droppedAttributesCount: f('uint32', 10),
      events: rep('Event', 11),
      droppedEventsCount: f('uint32', 12),
      links: rep('Link', 13),
      droppedLinksCount: f('uint32', 14),
      status: f('.opentelemetry.proto.trace.v1.Status', 15),
    },
    undefined,
    {
      SpanKind: {
        values: {
          SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2,
          SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
        },
      },
      Event: msg({
        timeUnixNano: f('fixed64', 1),
        name: f('string', 2),
        attributes: rep(C + 'KeyValue', 3),
        droppedAttributesCount: f('uint32', 4),
      }),
      Link: msg({
        traceId: f('bytes', 1),
        spanId: f('bytes', 2),
        traceState: f('string', 3),
        attributes: rep(C + 'KeyValue', 4),
        droppedAttributesCount: f('uint32', 5),
        flags: f('fixed32', 6),
      }),
    },
  ),
  // field 1 is reserved (deprecated_code)
  Status: msg({ message: f('string', 2), code: f('StatusCode', 3) }, undefined, {
    StatusCode: { values: { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 } },
  }),
};

const metrics = {
  ...envelope('ScopeMetrics', 'scopeMetrics', 'Metric', 'metrics'),
  MetricsData: msg({ resourceMetrics: rep('ResourceMetrics', 1) }),
  AggregationTemporality: {
    values: { AGGREGATION_TEMPORALITY_UNSPECIFIED: 0, AGGREGATION_TEMPORALITY_DELTA: 1, AGGREGATION_TEMPORALITY_CUMULATIVE: 2 },
  },
  // fields 4, 6, 8 are reserved
  Metric: msg(
    {
      name: f('string', 1),
      description: f('string', 2),
      unit: f('string', 3),
      gauge: f('Gauge', 5),
      sum: f('Sum', 7),
      histogram: f('Histogram', 9),
      exponentialHistogram: f('ExponentialHistogram', 10),
      summary: f('Summary', 11),
      metadata: rep(C + 'KeyValue', 12),
    },
    { data: ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] },
  ),
  Gauge: msg({ dataPoints: rep('NumberDataPoint', 1) }),
  Sum: msg({ dataPoints: rep('NumberDataPoint', 1), aggregationTemporality: f('AggregationTemporality', 2), isMonotonic: f('bool', 3) }),
  Histogram: msg({ dataPoints: rep('HistogramDataPoint', 1), aggregationTemporality: f('AggregationTemporality', 2) }),
  ExponentialHistogram: msg({
    dataPoints: rep('ExponentialHistogramDataPoint', 1),
    aggregationTemporality: f('AggregationTemporality', 2),
  }),
  Summary: msg({ dataPoints: rep('SummaryDataPoint', 1) }),
  NumberDataPoint: msg(
    {
      attributes: rep(C + 'KeyValue', 7),
      startTimeUnixNano: f('fixed64', 2),
      timeUnixNano: f('fixed64', 3),
      asDouble: f('double', 4),
      asInt: f('sfixed64', 6),
      exemplars: rep('Exemplar', 5),
      flags: f('uint32', 8),
    },
    { value: ['asDouble', 'asInt'] },
  ),
  HistogramDataPoint: msg({
    attributes: rep(C + 'KeyValue', 9),
    startTimeUnixNano: f('fixed64', 2),
    timeUnixNano: f('fixed64', 3),
    count: f('fixed64', 4),
    sum: f('double', 5),
    bucketCounts: rep('fixed64', 6),
    explicitBounds: rep('double', 7),
    exemplars: rep('Exemplar', 8),
    flags: f('uint32', 10),
    min: f('double', 11),
    max: f('double', 12),
  }),
  ExponentialHistogramDataPoint: msg(
    {
      attributes: rep(C + 'KeyValue', 1),
      startTimeUnixNano: f('fixed64', 2),
      timeUnixNano: f('fixed64', 3),
      count: f('fixed64', 4),
      sum: f('double', 5),
      scale: f('sint32', 6),
      zeroCount: f('fixed64', 7),
      positive: f('Buckets', 8),
      negative: f('Buckets', 9),
      flags: f('uint32', 10),
      exemplars: rep('Exemplar', 11),
      min: f('double', 12),
      max: f('double', 13),
      zeroThreshold: f('double', 14),
    },
    undefined,
    { Buckets: msg({ offset: f('sint32', 1), bucketCounts: rep('uint64', 2) }) },
  ),
  SummaryDataPoint: msg(
    {
      attributes: rep(C + 'KeyValue', 7),
      startTimeUnixNano: f('fixed64', 2),
      timeUnixNano: f('fixed64', 3),
      count: f('fixed64', 4),
      sum: f('double', 5),
      quantileValues: rep('ValueAtQuantile', 6),
      flags: f('uint32', 8),
    },
    undefined,
    { ValueAtQuantile: msg({ quantile: f('double', 1), value: f('double', 2) }) },
  ),
  Exemplar: msg(
    {
      filteredAttributes: rep(C + 'KeyValue', 7),
      timeUnixNano: f('fixed64', 2),
      asDouble: f('double', 3),
      asInt: f('sfixed64', 6),
      spanId: f('bytes', 4),
      traceId: f('bytes', 5),
    },
    { value: ['asDouble', 'asInt'] },
  ),
};

/** collector/<signal>/v1: Export<X>ServiceRequest/Response and Export<X>PartialSuccess. */
const service = (x: string, resourceType: string, resourceField: string, rejectedField: string) => ({
  [`Export${x}ServiceRequest`]: msg({ [resourceField]: rep(resourceType, 1) }),
  [`Export${x}ServiceResponse`]: msg({ partialSuccess: f(`Export${x}PartialSuccess`, 1) }),
  [`Export${x}PartialSuccess`]: msg({ [rejectedField]: f('int64', 1), errorMessage: f('string', 2) }),
});

const descriptor = ns({
  opentelemetry: ns({
    proto: ns({
      common: ns({ v1: ns(common) }),
      resource: ns({ v1: ns(resource) }),
      logs: ns({ v1: ns(logs) }),
      trace: ns({ v1: ns(trace) }),
      metrics: ns({ v1: ns(metrics) }),
      collector: ns({
        logs: ns({ v1: ns(service('Logs', '.opentelemetry.proto.logs.v1.ResourceLogs', 'resourceLogs', 'rejectedLogRecords')) }),
        trace: ns({ v1: ns(service('Trace', '.opentelemetry.proto.trace.v1.ResourceSpans', 'resourceSpans', 'rejectedSpans')) }),
        metrics: ns({
          v1: ns(service('Metrics', '.opentelemetry.proto.metrics.v1.ResourceMetrics', 'resourceMetrics', 'rejectedDataPoints')),
        }),
      }),
    }),
  }),
  google: ns({
    protobuf: ns({ Any: msg({ typeUrl: f('string', 1), value: f('bytes', 2) }) }),
    // google/rpc/status.proto: the body of failed OTLP/HTTP responses
    rpc: ns({ Status: msg({ code: f('int32', 1), message: f('string', 2), details: rep('.google.protobuf.Any', 3) }) }),
  }),
});

export const otlpRoot: protobuf.Root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);

const CL = 'opentelemetry.proto.collector.';
/** Message types by role, looked up once. */
export const types = {
  request: {
    logs: otlpRoot.lookupType(CL + 'logs.v1.ExportLogsServiceRequest'),
    traces: otlpRoot.lookupType(CL + 'trace.v1.ExportTraceServiceRequest'),
    metrics: otlpRoot.lookupType(CL + 'metrics.v1.ExportMetricsServiceRequest'),
  },
  response: {
    logs: otlpRoot.lookupType(CL + 'logs.v1.ExportLogsServiceResponse'),
    traces: otlpRoot.lookupType(CL + 'trace.v1.ExportTraceServiceResponse'),
    metrics: otlpRoot.lookupType(CL + 'metrics.v1.ExportMetricsServiceResponse'),
  },
  status: otlpRoot.lookupType('google.rpc.Status'),
} as const;

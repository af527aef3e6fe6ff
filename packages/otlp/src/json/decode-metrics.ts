/** OTLP/JSON decoding of metrics requests. */
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  MetricData,
  NumberDataPoint,
  SummaryDataPoint,
} from '../types.js';
import { rethrowAt } from '../wire/malformed.js';
import { attributes, decodeEnvelope, each } from './decode-common.js';
import { AGGREGATION_TEMPORALITIES } from './enums.js';
import { type Obj, arr, bad, bool, dbl, enumOf, get, hexId, i32, i64Number, obj, str, u32, u64 } from './fields.js';

/** oneof value { as_double; as_int }: 0 when neither is present. */
function pointValue(o: Obj): number {
  const d = get(o, 'asDouble', 'as_double');
  if (d !== undefined && d !== null) return dbl(d, 'asDouble');
  return i64Number(get(o, 'asInt', 'as_int'), 'asInt');
}

function exemplar(o: Obj): Exemplar {
  return {
    filteredAttributes: attributes(get(o, 'filteredAttributes', 'filtered_attributes'), 'filteredAttributes'),
    timeUnixNano: u64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    value: pointValue(o),
    spanId: hexId(get(o, 'spanId', 'span_id'), 8, 'spanId'),
    traceId: hexId(get(o, 'traceId', 'trace_id'), 16, 'traceId'),
  };
}

const times = (o: Obj) => ({
  start: u64(get(o, 'startTimeUnixNano', 'start_time_unix_nano'), 'startTimeUnixNano'),
  time: u64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
});

function numberDataPoint(o: Obj): NumberDataPoint {
  const t = times(o);
  return {
    attributes: attributes(o.attributes, 'attributes'),
    startTimeUnixNano: t.start,
    timeUnixNano: t.time,
    value: pointValue(o),
    exemplars: each(o.exemplars, 'exemplars', exemplar),
    flags: u32(o.flags, 'flags'),
  };
}

function u64s(v: unknown, field: string): string[] {
  const list = arr(v, field);
  const out: string[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = u64(list[i], `${field}[${i}]`);
  return out;
}

function doubles(v: unknown, field: string): number[] {
  const list = arr(v, field);
  const out: number[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = dbl(list[i], `${field}[${i}]`);
  return out;
}

function histogramDataPoint(o: Obj): HistogramDataPoint {
  const t = times(o);
  return {
    attributes: attributes(o.attributes, 'attributes'),
    startTimeUnixNano: t.start,
    timeUnixNano: t.time,
    count: u64(o.count, 'count'),
    sum: dbl(o.sum, 'sum'),
    bucketCounts: u64s(get(o, 'bucketCounts', 'bucket_counts'), 'bucketCounts'),
    explicitBounds: doubles(get(o, 'explicitBounds', 'explicit_bounds'), 'explicitBounds'),
    exemplars: each(o.exemplars, 'exemplars', exemplar),
    flags: u32(o.flags, 'flags'),
    min: dbl(o.min, 'min'),
    max: dbl(o.max, 'max'),
  };
}

function buckets(v: unknown, field: string): ExponentialHistogramBuckets {
  const o = obj(v, field);
  if (o === undefined) return { offset: 0, bucketCounts: [] };
  return {
    offset: i32(o.offset, `${field}.offset`),
    bucketCounts: u64s(get(o, 'bucketCounts', 'bucket_counts'), `${field}.bucketCounts`),
  };
}

function exponentialHistogramDataPoint(o: Obj): ExponentialHistogramDataPoint {
  const t = times(o);
  return {
    attributes: attributes(o.attributes, 'attributes'),
    startTimeUnixNano: t.start,
    timeUnixNano: t.time,
    count: u64(o.count, 'count'),
    sum: dbl(o.sum, 'sum'),
    scale: i32(o.scale, 'scale'),
    zeroCount: u64(get(o, 'zeroCount', 'zero_count'), 'zeroCount'),
    positive: buckets(o.positive, 'positive'),
    negative: buckets(o.negative, 'negative'),
    flags: u32(o.flags, 'flags'),
    exemplars: each(o.exemplars, 'exemplars', exemplar),
    min: dbl(o.min, 'min'),
    max: dbl(o.max, 'max'),
    zeroThreshold: dbl(get(o, 'zeroThreshold', 'zero_threshold'), 'zeroThreshold'),
  };
}

function summaryDataPoint(o: Obj): SummaryDataPoint {
  const t = times(o);
  return {
    attributes: attributes(o.attributes, 'attributes'),
    startTimeUnixNano: t.start,
    timeUnixNano: t.time,
    count: u64(o.count, 'count'),
    sum: dbl(o.sum, 'sum'),
    quantileValues: each(get(o, 'quantileValues', 'quantile_values'), 'quantileValues', (q) => ({
      quantile: dbl(q.quantile, 'quantile'),
      value: dbl(q.value, 'value'),
    })),
    flags: u32(o.flags, 'flags'),
  };
}

const temporality = (o: Obj) =>
  enumOf(get(o, 'aggregationTemporality', 'aggregation_temporality'), AGGREGATION_TEMPORALITIES, 'aggregationTemporality');
const points = <P>(o: Obj, point: (o: Obj) => P) => each(get(o, 'dataPoints', 'data_points'), 'dataPoints', point);

/** The oneof data: whichever of the five keys is present (the last one in the object if several). */
function metricData(m: Obj): MetricData {
  let data: MetricData = { type: 'empty' };
  for (const k in m) {
    const v = m[k];
    if (v === undefined || v === null) continue;
    try {
      switch (k) {
        case 'gauge': {
          const o = obj(v, '') ?? bad('', 'an object', v);
          data = { type: 'gauge', dataPoints: points(o, numberDataPoint) };
          break;
        }
        case 'sum': {
          const o = obj(v, '') ?? bad('', 'an object', v);
          data = {
            type: 'sum',
            dataPoints: points(o, numberDataPoint),
            aggregationTemporality: temporality(o),
            isMonotonic: bool(get(o, 'isMonotonic', 'is_monotonic'), 'isMonotonic'),
          };
          break;
        }
        case 'histogram': {
          const o = obj(v, '') ?? bad('', 'an object', v);
          data = { type: 'histogram', dataPoints: points(o, histogramDataPoint), aggregationTemporality: temporality(o) };
          break;
        }
        case 'exponentialHistogram': case 'exponential_histogram': {
          const o = obj(v, '') ?? bad('', 'an object', v);
          data = {
            type: 'exponentialHistogram',
            dataPoints: points(o, exponentialHistogramDataPoint),
            aggregationTemporality: temporality(o),
          };
          break;
        }
        case 'summary': {
          const o = obj(v, '') ?? bad('', 'an object', v);
          data = { type: 'summary', dataPoints: points(o, summaryDataPoint) };
          break;
        }
        default:
      }
    } catch (e) {
      rethrowAt(e, k);
    }
  }
  return data;
}

function metric(o: Obj): Metric {
  return {
    name: str(o.name, 'name'),
    description: str(o.description, 'description'),
    unit: str(o.unit, 'unit'),
    data: metricData(o),
    metadata: attributes(o.metadata, 'metadata'),
  };
}

export function decodeMetricsJson(root: unknown): ExportMetricsServiceRequest {
  const resourceMetrics = decodeEnvelope(
    root,
    [['resourceMetrics', 'resource_metrics'], ['scopeMetrics', 'scope_metrics'], ['metrics', 'metrics']],
    metric,
    (scope, metrics: Metric[], schemaUrl) => ({ scope, metrics, schemaUrl }),
    (resource, scopeMetrics, schemaUrl) => ({ resource, scopeMetrics, schemaUrl }),
  );
  return { resourceMetrics };
}

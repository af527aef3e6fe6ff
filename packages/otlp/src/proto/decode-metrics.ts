/** Protobuf decoding of ExportMetricsServiceRequest (collector/metrics/v1, metrics/v1). */
import type { Attributes, ExportMetricsServiceRequest, Metric, MetricData } from '../types.js';
import { rethrowAt } from '../wire/malformed.js';
import type { ProtoReader } from '../wire/reader.js';
import { attribute, decodeEnvelope } from './decode-common.js';
import { exponentialHistogramDataPoint, histogramDataPoint, numberDataPoint, summaryDataPoint } from './decode-points.js';

/**
 * Gauge / Sum / Histogram / ExponentialHistogram / Summary: all are
 * { repeated <point> data_points = 1; [AggregationTemporality = 2]; [bool is_monotonic = 3] }.
 */
function container<P>(r: ProtoReader, point: (r: ProtoReader) => P): { dataPoints: P[]; temporality: number; monotonic: boolean } {
  const pe = r.enter();
  const dataPoints: P[] = [];
  let temporality = 0;
  let monotonic = false;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 data_points
        try {
          dataPoints.push(point(r));
        } catch (e) {
          rethrowAt(e, `dataPoints[${dataPoints.length}]`);
        }
        continue;
      case 16: // 2 aggregation_temporality, enum
        temporality = r.int32();
        continue;
      case 24: // 3 is_monotonic (Sum only)
        monotonic = r.bool();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return { dataPoints, temporality, monotonic };
}

/** One Metric (tag already consumed). */
function metric(r: ProtoReader): Metric {
  const pe = r.enter();
  let name = '';
  let description = '';
  let unit = '';
  let data: MetricData = { type: 'empty' };
  const metadata: Attributes = {};
  while (r.pos < r.end) {
    const tag = r.tag();
    // oneof data: the last one on the wire wins, as in any protobuf parser
    try {
      switch (tag) {
        case 10: // 1 name
          name = r.string();
          continue;
        case 18: // 2 description
          description = r.string();
          continue;
        case 26: // 3 unit
          unit = r.string();
          continue;
        case 42: { // 5 gauge
          const c = container(r, numberDataPoint);
          data = { type: 'gauge', dataPoints: c.dataPoints };
          continue;
        }
        case 58: { // 7 sum
          const c = container(r, numberDataPoint);
          data = { type: 'sum', dataPoints: c.dataPoints, aggregationTemporality: c.temporality, isMonotonic: c.monotonic };
          continue;
        }
        case 74: { // 9 histogram
          const c = container(r, histogramDataPoint);
          data = { type: 'histogram', dataPoints: c.dataPoints, aggregationTemporality: c.temporality };
          continue;
        }
        case 82: { // 10 exponential_histogram
          const c = container(r, exponentialHistogramDataPoint);
          data = { type: 'exponentialHistogram', dataPoints: c.dataPoints, aggregationTemporality: c.temporality };
          continue;
        }
        case 90: { // 11 summary
          const c = container(r, summaryDataPoint);
          data = { type: 'summary', dataPoints: c.dataPoints };
          continue;
        }
        case 98: // 12 metadata
          attribute(r, metadata, 'metadata');
          continue;
        default: // 4, 6, 8 are reserved
          r.skip(tag & 7);
      }
    } catch (e) {
      const seg = dataName(tag);
      if (seg !== '') rethrowAt(e, seg);
      throw e;
    }
  }
  r.leave(pe);
  return { name, description, unit, data, metadata };
}

/** Error-path name of a oneof data field ('' for other fields, whose errors carry their own). */
function dataName(tag: number): string {
  switch (tag) {
    case 42: return 'gauge';
    case 58: return 'sum';
    case 74: return 'histogram';
    case 82: return 'exponentialHistogram';
    case 90: return 'summary';
    default: return '';
  }
}

export function decodeMetricsProto(r: ProtoReader): ExportMetricsServiceRequest {
  const resourceMetrics = decodeEnvelope(
    r,
    ['resourceMetrics', 'scopeMetrics', 'metrics'],
    metric,
    (scope, metrics: Metric[], schemaUrl) => ({ scope, metrics, schemaUrl }),
    (resource, scopeMetrics, schemaUrl) => ({ resource, scopeMetrics, schemaUrl }),
  );
  return { resourceMetrics };
}

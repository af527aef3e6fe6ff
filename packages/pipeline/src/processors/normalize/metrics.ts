/** OTLP metrics → otel_metrics_{gauge,sum,histogram,exponential_histogram,summary} rows. */
import type { AttrMap, MetricBaseRow, TableRows } from '@jobscope/core';
import type { Exemplar, ExportMetricsServiceRequest, Metric } from '@jobscope/otlp';
import { flattenAttributes, normalizeId } from './attributes.js';
import type { NormalizeContext } from './context.js';

export interface MetricRows {
  otel_metrics_gauge: TableRows['otel_metrics_gauge'][];
  otel_metrics_sum: TableRows['otel_metrics_sum'][];
  otel_metrics_histogram: TableRows['otel_metrics_histogram'][];
  otel_metrics_exponential_histogram: TableRows['otel_metrics_exponential_histogram'][];
  otel_metrics_summary: TableRows['otel_metrics_summary'][];
}

interface PointBase { attributes: Record<string, never> | object; startTimeUnixNano: string; timeUnixNano: string; flags: number; exemplars?: Exemplar[] }

export function normalizeMetrics(req: ExportMetricsServiceRequest, ctx: NormalizeContext): MetricRows {
  const out: MetricRows = {
    otel_metrics_gauge: [], otel_metrics_sum: [], otel_metrics_histogram: [],
    otel_metrics_exponential_histogram: [], otel_metrics_summary: [],
  };
  for (const rm of req.resourceMetrics) {
    const resource = flattenAttributes(rm.resource.attributes);
    const dataset = resource.dataset || ctx.defaultDataset || 'default';
    for (const sm of rm.scopeMetrics) {
      const scope = {
        ResourceAttributes: resource, ResourceSchemaUrl: rm.schemaUrl, ScopeName: sm.scope.name,
        ScopeVersion: sm.scope.version, ScopeAttributes: flattenAttributes(sm.scope.attributes),
        ScopeDroppedAttrCount: sm.scope.droppedAttributesCount, ScopeSchemaUrl: sm.schemaUrl,
        ServiceName: resource['service.name'] ?? '', Dataset: dataset,
      };
      for (const m of sm.metrics) addMetric(out, m, scope, ctx);
    }
  }
  return out;
}

type Scope = Pick<MetricBaseRow, 'ResourceAttributes' | 'ResourceSchemaUrl' | 'ScopeName' | 'ScopeVersion' | 'ScopeAttributes' | 'ScopeDroppedAttrCount' | 'ScopeSchemaUrl' | 'ServiceName' | 'Dataset'>;

function base(scope: Scope, m: Metric, p: PointBase, ctx: NormalizeContext): MetricBaseRow {
  const ex = p.exemplars ?? [];
  return {
    ...scope,
    MetricName: m.name,
    MetricDescription: m.description,
    MetricUnit: m.unit,
    Attributes: flattenAttributes(p.attributes as Record<string, never>) as AttrMap,
    StartTimeUnix: p.startTimeUnixNano,
    TimeUnix: p.timeUnixNano !== '0' ? p.timeUnixNano : ctx.receivedAtNs,
    Flags: p.flags,
    'Exemplars.FilteredAttributes': ex.map((e) => flattenAttributes(e.filteredAttributes)),
    'Exemplars.TimeUnix': ex.map((e) => e.timeUnixNano),
    'Exemplars.Value': ex.map((e) => finite(e.value)),
    'Exemplars.SpanId': ex.map((e) => normalizeId(e.spanId, 16)),
    'Exemplars.TraceId': ex.map((e) => normalizeId(e.traceId, 32)),
  };
}

/** ClickHouse Float64 takes no NaN/Infinity in JSON: store 0 for them. */
const finite = (n: number): number => (Number.isFinite(n) ? n : 0);

function addMetric(out: MetricRows, m: Metric, scope: Scope, ctx: NormalizeContext): void {
  const d = m.data;
  switch (d.type) {
    case 'gauge':
      for (const p of d.dataPoints) out.otel_metrics_gauge.push({ ...base(scope, m, p, ctx), Value: finite(p.value) });
      break;
    case 'sum':
      for (const p of d.dataPoints) {
        out.otel_metrics_sum.push({ ...base(scope, m, p, ctx), Value: finite(p.value), AggregationTemporality: d.aggregationTemporality, IsMonotonic: d.isMonotonic });
      }
      break;
    case 'histogram':
      for (const p of d.dataPoints) {
        out.otel_metrics_histogram.push({
          ...base(scope, m, p, ctx), Count: p.count, Sum: finite(p.sum), BucketCounts: p.bucketCounts,
          ExplicitBounds: p.explicitBounds.map(finite), Min: finite(p.min), Max: finite(p.max),
          AggregationTemporality: d.aggregationTemporality,
        });
      }
      break;
    case 'exponentialHistogram':
      for (const p of d.dataPoints) {
        out.otel_metrics_exponential_histogram.push({
          ...base(scope, m, p, ctx), Count: p.count, Sum: finite(p.sum), Scale: p.scale, ZeroCount: p.zeroCount,
          PositiveOffset: p.positive.offset, PositiveBucketCounts: p.positive.bucketCounts,
          NegativeOffset: p.negative.offset, NegativeBucketCounts: p.negative.bucketCounts,
          Min: finite(p.min), Max: finite(p.max), AggregationTemporality: d.aggregationTemporality,
        });
      }
      break;
    case 'summary':
      for (const p of d.dataPoints) {
        out.otel_metrics_summary.push({
          ...base(scope, m, { ...p, exemplars: [] }, ctx), Count: p.count, Sum: finite(p.sum),
          'ValueAtQuantiles.Quantile': p.quantileValues.map((q) => finite(q.quantile)),
          'ValueAtQuantiles.Value': p.quantileValues.map((q) => finite(q.value)),
        });
      }
      break;
    case 'empty':
      break;
  }
}

/**
 * Decoding what the official OpenTelemetry JS metric exporters send
 * (protobuf and JSON): gauge, sum (int and double), histogram and
 * exponential histogram, compared with the data the SDK handed to the
 * exporter (exact ns times, counts, buckets).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType, DataPointType, MeterProvider, PeriodicExportingMetricReader,
  type ExponentialHistogram, type Histogram, type MetricData as SdkMetricData, type PushMetricExporter, type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { decodeRequest, type Encoding, type Metric } from './index.js';
import { CaptureServer, hrToNs } from './testing/capture-server.js';
import { referenceDecode } from './testing/reference.js';

const server = new CaptureServer();
before(() => server.start());
after(() => server.stop());

/** Passes everything to `inner`, keeping what the SDK exported. */
class Tap implements PushMetricExporter {
  readonly seen: ResourceMetrics[] = [];
  constructor(private readonly inner: PushMetricExporter) {}
  export(metrics: ResourceMetrics, cb: (r: ExportResult) => void): void {
    this.seen.push(metrics);
    this.inner.export(metrics, cb);
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

async function exportMetrics(encoding: Encoding) {
  const url = `${server.url}/v1/metrics`;
  const tap = new Tap(encoding === 'protobuf' ? new ProtoMetricExporter({ url }) : new JsonMetricExporter({ url }));
  const reader = new PeriodicExportingMetricReader({ exporter: tap, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'jobscope-test' }),
    readers: [reader],
    views: [{ instrumentName: 'job.latency.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('jobscope.meter', '2.0.0');
  meter.createGauge('gpu.temperature', { unit: 'Cel', description: 'GPU temperature' }).record(71.5, { gpu: 0 });
  const jobs = meter.createCounter('jobs.completed', { valueType: ValueType.INT });
  jobs.add(3, { service_type: 'comfyui' });
  jobs.add(4, { service_type: 'comfyui' });
  meter.createCounter('bytes.sent').add(1.5);
  const latency = meter.createHistogram('job.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [1, 10, 100] } });
  for (const v of [0.5, 5, 50, 500]) latency.record(v);
  const exp = meter.createHistogram('job.latency.exp');
  for (const v of [1, 2, 4, 1000, 0]) exp.record(v);
  await reader.forceFlush();
  await provider.shutdown();
  return tap.seen.flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics));
}

function sdkMetric(seen: SdkMetricData[], name: string): SdkMetricData {
  const m = seen.find((x) => x.descriptor.name === name);
  assert.ok(m, `SDK exported ${name}`);
  return m;
}

for (const encoding of ['protobuf', 'json'] as const) {
  test(`official ${encoding} metric exporter: exact decode`, async () => {
    const seen = await exportMetrics(encoding);
    const captured = server.take('/v1/metrics');
    assert.ok(captured.length >= 1);
    if (encoding === 'protobuf') {
      // an independent decoder (protobufjs over our descriptor) agrees field for field
      for (const c of captured) assert.deepEqual(decodeRequest('metrics', c.body, 'protobuf'), referenceDecode('metrics', c.body));
    }
    const metrics: Metric[] = captured
      .map((c) => decodeRequest('metrics', c.body, encoding))
      .flatMap((d) => d.resourceMetrics)
      .flatMap((r) => r.scopeMetrics)
      .filter((s) => s.scope.name === 'jobscope.meter')
      .flatMap((s) => {
        assert.equal(s.scope.version, '2.0.0');
        return s.metrics;
      });
    const byName = (n: string) => {
      const m = metrics.find((x) => x.name === n);
      assert.ok(m, `decoded ${n}`);
      return m;
    };
    const times = (name: string, i = 0) => {
      const p = sdkMetric(seen, name).dataPoints[i];
      return { startTimeUnixNano: hrToNs(p.startTime), timeUnixNano: hrToNs(p.endTime) };
    };

    assert.deepEqual(byName('gpu.temperature'), {
      name: 'gpu.temperature',
      description: 'GPU temperature',
      unit: 'Cel',
      data: { type: 'gauge', dataPoints: [{ attributes: { gpu: 0 }, ...times('gpu.temperature'), value: 71.5, exemplars: [], flags: 0 }] },
      metadata: {},
    });
    assert.deepEqual(byName('jobs.completed').data, {
      type: 'sum',
      aggregationTemporality: 2,
      isMonotonic: true,
      dataPoints: [{ attributes: { service_type: 'comfyui' }, ...times('jobs.completed'), value: 7, exemplars: [], flags: 0 }],
    });
    assert.deepEqual(byName('bytes.sent').data, {
      type: 'sum',
      aggregationTemporality: 2,
      isMonotonic: true,
      dataPoints: [{ attributes: {}, ...times('bytes.sent'), value: 1.5, exemplars: [], flags: 0 }],
    });
    const hist = byName('job.latency');
    assert.equal(hist.unit, 'ms');
    assert.deepEqual(hist.data, {
      type: 'histogram',
      aggregationTemporality: 2,
      dataPoints: [{
        attributes: {},
        ...times('job.latency'),
        count: '4',
        sum: 555.5,
        bucketCounts: ['1', '1', '1', '1'],
        explicitBounds: [1, 10, 100],
        exemplars: [],
        flags: 0,
        min: 0.5,
        max: 500,
      }],
    });

    const sdkExp = sdkMetric(seen, 'job.latency.exp');
    assert.equal(sdkExp.dataPointType, DataPointType.EXPONENTIAL_HISTOGRAM);
    const v = sdkExp.dataPoints[0].value as ExponentialHistogram;
    assert.deepEqual(byName('job.latency.exp').data, {
      type: 'exponentialHistogram',
      aggregationTemporality: 2,
      dataPoints: [{
        attributes: {},
        ...times('job.latency.exp'),
        count: String(v.count),
        sum: 1007,
        scale: v.scale,
        zeroCount: String(v.zeroCount),
        positive: { offset: v.positive.offset, bucketCounts: v.positive.bucketCounts.map(String) },
        negative: { offset: v.negative.offset, bucketCounts: v.negative.bucketCounts.map(String) },
        flags: 0,
        exemplars: [],
        min: 0,
        max: 1000,
        zeroThreshold: 0,
      }],
    });
    assert.equal(v.count, 5);
    assert.equal(v.zeroCount, 1);
    // the explicit histogram's SDK view agrees with what we decoded
    const h = sdkMetric(seen, 'job.latency').dataPoints[0].value as Histogram;
    assert.deepEqual(h.buckets.counts, [1, 1, 1, 1]);
  });
}

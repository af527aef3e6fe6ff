/** The counters as OpenTelemetry instruments, collected through the official metrics SDK. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createExporter, registerExporterMetrics } from './index.js';

class Reader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

test('stats() are observable as OpenTelemetry metrics', async () => {
  const sink = createExporter({ mode: 'inline', endpoint: 'http://127.0.0.1:9/v1/logs', spoolDir: false, env: {} });
  sink.write('{"msg":"ok"}');
  sink.write('garbage');
  sink.write('{"msg":"ok"}');
  await sink.close(50);
  const reader = new Reader();
  const provider = new MeterProvider({ readers: [reader] });
  registerExporterMetrics(provider.getMeter('test'), sink, { worker_id: 'w1' });
  const { resourceMetrics } = await reader.collect();
  const metrics = new Map(resourceMetrics.scopeMetrics[0].metrics.map((m) => [m.descriptor.name, m.dataPoints]));
  const point = (name: string, attr: string, value: string): number | undefined =>
    metrics.get(name)?.find((d) => d.attributes[attr] === value && d.attributes.worker_id === 'w1')?.value as number | undefined;
  assert.equal(point('jobscope_sdk_exporter_records_total', 'outcome', 'accepted'), 3);
  assert.equal(point('jobscope_sdk_exporter_dropped_total', 'reason', 'malformed'), 1);
  assert.equal(point('jobscope_sdk_exporter_dropped_total', 'reason', 'no_spool'), 2);
  assert.ok(metrics.has('jobscope_sdk_exporter_breaker_state'));
  await provider.shutdown();
});

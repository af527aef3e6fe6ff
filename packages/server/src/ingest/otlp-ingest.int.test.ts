/**
 * The official OpenTelemetry JS exporters (protobuf and JSON) send logs,
 * traces and metrics to a real server with embedded ClickHouse; the rows
 * land in the OTel-compatible tables with canonical job columns.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace, TraceFlags, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPLogExporter as ProtoLogs } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogs } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter as ProtoTraces } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraces } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter as ProtoMetrics } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as JsonMetrics } from '@opentelemetry/exporter-metrics-otlp-http';
import { count, startTestServer, type TestServer } from '../testkit/server.js';

let t: TestServer;
before(async () => { t = await startTestServer(); });
after(async () => { await t.close(); });

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

for (const enc of ['protobuf', 'json'] as const) {
  test(`logs from the official ${enc} exporter are stored with job columns`, async () => {
    const url = `${t.url}/v1/logs`;
    const exporter = enc === 'protobuf' ? new ProtoLogs({ url }) : new JsonLogs({ url });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'comfyui-worker', machine_id: `m-${enc}`, 'service.instance.id': 'w-7' }),
      processors: [new BatchLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('connector');
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
    const job = `job-otel-${enc}`;
    logger.emit({ severityNumber: SeverityNumber.INFO, severityText: 'INFO', body: 'job started', attributes: { jobId: job, event_type: 'job_started', service_type: 'comfyui' }, context: ctx });
    logger.emit({ severityNumber: SeverityNumber.ERROR, body: 'CUDA out of memory', attributes: { 'job.id': job, event_type: 'job_failed', error_type: 'memory', duration_ms: 1234 }, context: ctx });
    await provider.forceFlush();
    await provider.shutdown();
    await t.server.writer.flush();
    const rows = await t.server.store.query<Record<string, unknown>>(
      'SELECT JobId, MachineId, WorkerId, ServiceType, EventType, SeverityText, SeverityNumber, TraceId, SpanId, ServiceName, Body, LogAttributes FROM otel_logs WHERE JobId = {j:String} ORDER BY Timestamp',
      { j: job },
    );
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => r.EventType), ['job_started', 'job_failed']);
    assert.equal(rows[1]!.SeverityText, 'error');
    assert.equal(rows[1]!.SeverityNumber, 17);
    assert.equal(rows[0]!.MachineId, `m-${enc}`);
    assert.equal(rows[0]!.WorkerId, 'w-7');
    assert.equal(rows[0]!.ServiceType, 'comfyui');
    assert.equal(rows[0]!.TraceId, TRACE_ID);
    assert.equal(rows[0]!.SpanId, SPAN_ID);
    assert.equal(rows[0]!.ServiceName, 'comfyui-worker');
    assert.equal((rows[1]!.LogAttributes as Record<string, string>).duration_ms, '1234');
    // and the job state table followed
    const res = await fetch(`${t.url}/api/jobs/${job}`);
    const body = await res.json() as { job: Record<string, unknown>; timeline: unknown[] };
    assert.equal(body.job.status, 'failed');
    assert.equal(body.job.error_type, 'memory');
    assert.equal(body.timeline.length, 2);
  });

  test(`spans from the official ${enc} exporter are stored and join the job timeline`, async () => {
    const url = `${t.url}/v1/traces`;
    const exporter = enc === 'protobuf' ? new ProtoTraces({ url }) : new JsonTraces({ url });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'api', machine_id: 'm-api' }),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('jobs');
    const job = `job-span-${enc}`;
    const parent = tracer.startSpan('POST /api/jobs', { attributes: { job_id: job } });
    const pctx = trace.setSpan(ROOT_CONTEXT, parent);
    const child = tracer.startSpan('enqueue jobs:pending', { attributes: { job_id: job, 'messaging.system': 'redis' }, kind: SpanKind.PRODUCER }, pctx);
    child.addEvent('queued', { position: 3 });
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'slow' });
    child.end();
    parent.end();
    await provider.forceFlush();
    await provider.shutdown();
    await t.server.writer.flush();
    const rows = await t.server.store.query<Record<string, unknown>>(
      'SELECT TraceId, SpanId, ParentSpanId, SpanName, SpanKind, StatusCode, StatusMessage, JobId, MachineId, `Events.Name` AS ev FROM otel_traces WHERE JobId = {j:String} ORDER BY Timestamp',
      { j: job },
    );
    assert.equal(rows.length, 2);
    const [p, c] = rows as Record<string, string>[];
    assert.equal(c!.TraceId, p!.TraceId);
    assert.equal(c!.ParentSpanId, p!.SpanId);
    assert.equal(c!.SpanKind, 'Producer');
    assert.equal(c!.StatusCode, 'Error');
    assert.equal(c!.StatusMessage, 'slow');
    assert.deepEqual(c!.ev, ['queued']);
    assert.equal(p!.MachineId, 'm-api');
    const body = await (await fetch(`${t.url}/api/jobs/${job}`)).json() as { timeline: { kind: string; name: string }[] };
    assert.deepEqual(body.timeline.map((i) => i.kind), ['span', 'span']);
  });

  test(`metrics from the official ${enc} exporter land in the gauge, sum and histogram tables`, async () => {
    const url = `${t.url}/v1/metrics`;
    const exporter = enc === 'protobuf' ? new ProtoMetrics({ url }) : new JsonMetrics({ url });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': `metrics-${enc}` }), readers: [reader] });
    const meter = provider.getMeter('jobs');
    meter.createCounter('jobs_completed_total').add(3, { service_type: 'openai' });
    meter.createHistogram('job_duration_ms').record(1500, { service_type: 'openai' });
    meter.createObservableGauge('queue_depth').addCallback((o) => o.observe(17, { queue: 'jobs:pending' }));
    await provider.shutdown(); // exports once, then stops
    await t.server.writer.flush();
    const svc = { s: `metrics-${enc}` };
    assert.equal(await count(t.server, "ServiceName = {s:String} AND MetricName = 'jobs_completed_total' AND Value = 3 AND IsMonotonic", svc, 'otel_metrics_sum'), 1);
    assert.equal(await count(t.server, "ServiceName = {s:String} AND MetricName = 'job_duration_ms' AND Count = 1 AND Sum = 1500", svc, 'otel_metrics_histogram'), 1);
    assert.equal(await count(t.server, "ServiceName = {s:String} AND MetricName = 'queue_depth' AND Value = 17 AND Attributes['queue'] = 'jobs:pending'", svc, 'otel_metrics_gauge'), 1);
  });
}

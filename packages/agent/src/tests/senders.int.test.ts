/**
 * Real senders through the agent to a real server: the `fluent-logger` npm
 * client over the forward protocol, the SDK's Winston transport and the
 * official OpenTelemetry JS exporters over OTLP/HTTP, and plain JSON over
 * the Fluent Bit-compatible HTTP input. What arrives is enriched (machine_id,
 * host, agent version), canonical (aliases renamed) and redacted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fluent from 'fluent-logger';
import winston from 'winston';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { JobscopeWinstonTransport } from '@jobscope/sdk/winston';
import { startTestServer, type TestServer } from '@jobscope/server/testkit';
import { createAgent, defaultAgentConfig, type Agent, type AgentAddresses } from '../index.js';
import { waitFor } from '../testing/agent-process.js';

let server: TestServer;
let agent: Agent;
let addr: AgentAddresses;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-senders-'));
  server = await startTestServer();
  const c = defaultAgentConfig();
  c.bufferDir = join(dir, 'buf');
  c.http.port = 0; c.otlp.port = 0; c.forward.port = 0; c.health.port = 0;
  c.enrich = { machineId: 'machine-agent-test', region: 'eu-test' };
  c.exporters = [{ name: 'server', endpoint: server.url, headers: {}, batchIdHeader: 'x-jobscope-batch-id', compression: 'gzip' }];
  c.quiet = true;
  agent = createAgent(c);
  addr = await agent.start();
});

after(async () => {
  await agent.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function logsOf(job: string): Promise<Record<string, unknown>[]> {
  return await server.server.store.query<Record<string, unknown>>(
    'SELECT Body, MachineId, ServiceName, ServiceType, EventType, SeverityText, LogAttributes, ResourceAttributes FROM otel_logs WHERE JobId = {j:String} ORDER BY Timestamp',
    { j: job },
  );
}

const port = (a: string | undefined): number => Number(a!.split(':').pop());

test('fluent-logger over forward (with ack): records arrive enriched and redacted', { timeout: 60_000 }, async () => {
  const sender = fluent.createFluentSender('worker', { host: '127.0.0.1', port: port(addr.forward), requireAckResponse: true, timeout: 5 });
  await new Promise<void>((resolve, reject) => {
    sender.emit('comfyui', { message: 'calling api with Authorization: Bearer abcdef0123456789xyz', level: 'warn', jobId: 'job-agent-fluent', service_type: 'comfyui' },
      (err) => (err ? reject(err) : resolve()));
  });
  (sender as unknown as { end(): void }).end(); // closes the connection (the typings demand a last record)
  const rows = await waitFor(async () => { const r = await logsOf('job-agent-fluent'); return r.length === 1 ? r : null; }, 30_000, 'the fluent record');
  const r = rows[0]!;
  assert.equal(r.MachineId, 'machine-agent-test');
  assert.equal(r.SeverityText, 'warn');
  assert.equal(r.ServiceType, 'comfyui');
  assert.doesNotMatch(String(r.Body), /abcdef0123456789xyz/, 'the bearer token is redacted');
  assert.match(String(r.Body), /Bearer \[REDACTED\]/);
  const res = r.ResourceAttributes as Record<string, string>;
  assert.equal(res['fluent.tag'], 'worker.comfyui');
  assert.equal(res['cloud.region'], 'eu-test');
  assert.ok(res['jobscope.agent.version']);
});

test('the SDK Winston transport over OTLP/HTTP through the agent', { timeout: 60_000 }, async () => {
  const transport = new JobscopeWinstonTransport({ exporter: { endpoint: `http://${addr.otlp}/v1/logs`, serviceName: 'winston-worker', spoolDir: false, mode: 'inline' } });
  const logger = winston.createLogger({ transports: [transport] });
  logger.info('job started via winston', { job_id: 'job-agent-winston', event_type: 'job_started', service_type: 'openai', api_key: 'sk-proj-abcdefghijklmnopqrstuvwxyz012345' });
  logger.error('job failed via winston', { job_id: 'job-agent-winston', event_type: 'job_failed' });
  await new Promise<void>((resolve) => { logger.on('finish', () => resolve()); logger.end(); });
  await transport.close?.();
  const rows = await waitFor(async () => { const r = await logsOf('job-agent-winston'); return r.length === 2 ? r : null; }, 30_000, 'the winston records');
  assert.deepEqual(rows.map((r) => r.EventType), ['job_started', 'job_failed']);
  assert.equal(rows[0]!.ServiceName, 'winston-worker');
  assert.equal(rows[0]!.MachineId !== '', true);
  assert.doesNotMatch(JSON.stringify(rows[0]!.LogAttributes), /abcdefghijklmnopqrstuvwxyz012345/, 'the API key is redacted');
});

test('the official OpenTelemetry exporters (logs, traces, metrics) through the agent', { timeout: 60_000 }, async () => {
  const base = `http://${addr.otlp}`;
  const resource = resourceFromAttributes({ 'service.name': 'otel-worker' });
  const logs = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${base}/v1/logs` }) })] });
  logs.getLogger('t').emit({ severityNumber: SeverityNumber.INFO, body: 'otel via agent', attributes: { 'job.id': 'job-agent-otel', event_type: 'job_progress' } });
  await logs.shutdown();
  const traces = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` }))] });
  const span = traces.getTracer('t').startSpan('process job', { attributes: { job_id: 'job-agent-otel' } });
  span.end();
  await traces.shutdown();
  const metrics = new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics` }), exportIntervalMillis: 60_000 })] });
  metrics.getMeter('t').createCounter('agent_test_jobs_total').add(5, { service_type: 'rest' });
  await metrics.shutdown();

  await waitFor(async () => (await logsOf('job-agent-otel')).length === 1, 30_000, 'the OTel log');
  const spans = await waitFor(async () => {
    const r = await server.server.store.query<{ SpanName: string; MachineId: string }>("SELECT SpanName, MachineId FROM otel_traces WHERE JobId = 'job-agent-otel'");
    return r.length === 1 ? r : null;
  }, 30_000, 'the span');
  assert.equal(spans[0]!.SpanName, 'process job');
  assert.equal(spans[0]!.MachineId, 'machine-agent-test');
  await waitFor(async () => {
    const r = await server.server.store.query<{ n: number }>("SELECT count() AS n FROM otel_metrics_sum WHERE MetricName = 'agent_test_jobs_total' AND Value = 5");
    return Number(r[0]!.n) === 1;
  }, 30_000, 'the metric');
});

test('Fluent Bit HTTP input: a JSON array, tag from the path', { timeout: 60_000 }, async () => {
  const r = await fetch(`http://${addr.http}/pm2.api`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ msg: 'one', job_id: 'job-agent-http' }, { msg: 'two', job_id: 'job-agent-http' }]),
  });
  assert.equal(r.status, 201);
  const rows = await waitFor(async () => { const x = await logsOf('job-agent-http'); return x.length === 2 ? x : null; }, 30_000, 'the http records');
  assert.deepEqual(rows.map((x) => x.Body).sort(), ['one', 'two']);
  assert.equal((rows[0]!.ResourceAttributes as Record<string, string>)['fluent.tag'], 'pm2.api');
  const st = agent.stats();
  assert.ok((st.intake.recordsIn.http ?? 0) >= 2);
});

/** initTracing: options and OTEL_* variables, the global registration, ConnectorLogger correlation, the SpanExporter API. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, propagation, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { ConnectorLogger } from '../../logger/connector-logger.js';
import { MemorySink } from '../../logger/testkit.js';
import type { Batch } from '../../export/batch.js';
import { until } from '../../export/testkit/server.js';
import { initTracing } from './init.js';
import { resolveTracing } from './options.js';

const ok = async (): Promise<{ rejected: number }> => ({ rejected: 0 });

test('endpoint: option > OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (as is) > OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces > default', () => {
  const ep = (o: Parameters<typeof resolveTracing>[0]): string => resolveTracing(o).export.endpoint;
  assert.equal(ep({ env: {} }), 'http://localhost:4318/v1/traces');
  assert.equal(ep({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://agent:4318/' } }), 'http://agent:4318/v1/traces');
  assert.equal(ep({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://agent:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x/t', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://x/l' } }), 'https://x/t');
  assert.equal(ep({ endpoint: 'http://h:1/v1/traces', env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x/t' } }), 'http://h:1/v1/traces');
});

test('headers, resource and the spool directory', () => {
  const r = resolveTracing({
    env: {
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc,x-a=1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-a=2', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-a=3',
      OTEL_SERVICE_NAME: 'api', OTEL_RESOURCE_ATTRIBUTES: 'machine_id=gpu-1,deployment.environment=prod',
    },
    headers: { 'X-B': 'b' },
    resource: { service_type: 'comfyui' },
  });
  assert.deepEqual(r.export.headers, { authorization: 'Bearer abc', 'x-a': '2', 'x-b': 'b' });
  assert.equal(r.export.resource['service.name'], 'api');
  assert.equal(r.export.resource.machine_id, 'gpu-1');
  assert.equal(r.export.resource.service_type, 'comfyui');
  assert.match(r.export.spoolDir ?? '', /jobscope-spool\/api\/traces$/, 'a traces subfolder: never a logs spool');
  assert.equal(r.export.spoolSlots, true);
  assert.equal(r.export.maxBatchRecords, 512);
  assert.equal(r.export.mode, 'inline');
  assert.equal(r.export.signal, 'traces');
  assert.equal(resolveTracing({ serviceName: 'w', spoolDir: '/tmp/x', env: {} }).export.spoolDir, '/tmp/x');
});

test('invalid options fail at initTracing with precise messages', () => {
  const cases: [Parameters<typeof initTracing>[0], RegExp][] = [
    [{ endpoint: 'nope' }, /^tracing: endpoint must be an absolute http\(s\) URL such as http:\/\/localhost:4318\/v1\/traces/],
    [{ env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '::' } }, /OTEL_EXPORTER_OTLP_\(TRACES_\)ENDPOINT must be an absolute/],
    [{ maxBatchRecords: 0 }, /tracing: maxBatchRecords must be an integer/],
    [{ registerGlobal: 'yes' as never }, /tracing: registerGlobal must be a boolean/],
    [{ sampling: { ratio: -1 } }, /tracing: sampling.ratio must be a number in \[0, 1\]/],
  ];
  for (const [o, re] of cases) {
    assert.throws(() => initTracing({ env: {}, ...o }), (e: Error) => re.test(e.message) && (e as { code?: string }).code === 'JS_CONFIG', String(re));
  }
});

test('registerGlobal (default): ConnectorLogger records written inside a span carry its trace_id/span_id; shutdown gives the globals back', async () => {
  const batches: Batch[] = [];
  const tracing = initTracing({ serviceName: 'worker', spoolDir: false, env: {}, sampling: { ratio: 1 } }, { post: async (b) => { batches.push(b); return ok(); } });
  const sink = new MemorySink();
  const log = new ConnectorLogger({ machineId: 'm', serviceType: 'rest', sink, env: {} });
  assert.equal(trace.getTracerProvider() !== undefined, true);
  await trace.getTracer('any').startActiveSpan('process job', async (span) => {
    await new Promise((r) => setTimeout(r, 5));
    log.withJobContext('j1').info('inside');
    const sc = span.spanContext();
    assert.equal(sink.last().trace_id, sc.traceId);
    assert.equal(sink.last().span_id, sc.spanId);
    assert.equal(sink.last().trace_flags, '01');
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    assert.equal(carrier.traceparent, `00-${sc.traceId}-${sc.spanId}-01`, 'the W3C propagator is global');
    span.end();
  });
  log.info('outside');
  assert.equal(sink.last().trace_id, undefined);
  await tracing.shutdown(1000);
  assert.equal(batches.length, 1);
  assert.equal(tracing.stats().export.sent, 1);
  // Given back: a second initTracing can register in turn.
  const again = initTracing({ serviceName: 'worker2', spoolDir: false, env: {} }, { post: ok });
  const s = trace.getTracer('x').startSpan('y');
  assert.equal(s.isRecording(), true, 'the new provider is the global one');
  s.end();
  await again.shutdown(500);
});

test('registerGlobal: false touches nothing global; several instances live side by side with their own resource', async () => {
  const seen: Record<string, number> = {};
  const mk = (name: string) => initTracing({ serviceName: name, registerGlobal: false, spoolDir: false, env: {}, sampling: { ratio: 1 } }, {
    post: async (b) => { seen[name] = (seen[name] ?? 0) + b.records; return ok(); },
  });
  const a = mk('api');
  const b = mk('webhook');
  assert.equal(trace.getTracer('g').startSpan('global').isRecording(), false, 'no global provider');
  a.tracer.startSpan('a1').end();
  b.tracer.startSpan('b1').end();
  b.tracer.startSpan('b2').end();
  assert.equal(a.resource['service.name'], 'api');
  await Promise.all([a.shutdown(1000), b.shutdown(1000)]);
  assert.deepEqual(seen, { api: 1, webhook: 2 });
  assert.equal(a.stats().spansStarted, 1);
  assert.equal(b.stats().spansExported, 2);
});

test('the exporter as a plain SpanExporter: export(spans, cb) takes them; after shutdown it refuses, counted', async () => {
  let records = 0;
  const tracing = initTracing({ serviceName: 'x', registerGlobal: false, spoolDir: false, env: {} }, { post: async (b) => { records += b.records; return ok(); } });
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const mem = new InMemorySpanExporter();
  const p = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(mem)] });
  p.getTracer('t').startSpan('s', {}, ROOT_CONTEXT).end();
  const spans = mem.getFinishedSpans();
  const r1 = await new Promise<{ code: number }>((res) => tracing.exporter.export(spans, res));
  assert.equal(r1.code, 0);
  await tracing.shutdown(1000);
  assert.equal(records, 1);
  const r2 = await new Promise<{ code: number }>((res) => tracing.exporter.export(spans, res));
  assert.equal(r2.code, 1);
  assert.equal(tracing.stats().export.droppedClosed, 1);
});

test('two instances of one service in one process take two spool slots under the default directory\'s traces folder', async () => {
  const service = `slot-test-${process.pid}-${Date.now()}`;
  const mk = () => initTracing({ serviceName: service, registerGlobal: false, env: {} }, { post: ok });
  const a = mk();
  const b = mk();
  try {
    assert.ok(await until(() => a.stats().export.spoolDir !== null && b.stats().export.spoolDir !== null, 5000));
    const dirs = [a.stats().export.spoolDir, b.stats().export.spoolDir].sort();
    const base = join(tmpdir(), 'jobscope-spool', service, 'traces');
    assert.deepEqual(dirs, [join(base, '0'), join(base, '1')]);
  } finally {
    await Promise.all([a.shutdown(1000), b.shutdown(1000)]);
    rmSync(join(tmpdir(), 'jobscope-spool', service), { recursive: true, force: true });
  }
});

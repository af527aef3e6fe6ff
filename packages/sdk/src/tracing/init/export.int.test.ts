/** Spans through the exporter core's reliability into a real server (embedded chdb): parentage, resource, exactly once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { startTestServer } from '@jobscope/server/testkit';
import { createExporter } from '../../export/index.js';
import { FaultProxy } from '../../export/testkit/proxy.js';
import { ConnectorLogger } from '../../logger/connector-logger.js';
import { freePort, tempDir, until } from '../../export/testkit/server.js';
import { initTracing, type JobscopeTracing } from './init.js';
import { spanRows } from './testkit.js';

const fast = {
  maxBatchDelayMs: 30, timeoutMs: 1000, retry: { initialDelayMs: 20, maxDelayMs: 200, maxElapsedMs: 400 }, breaker: { failures: 1, halfOpenAfterMs: 200 },
};

/** A job trace: submit (SERVER) → enqueue (PRODUCER) in the API; process (CONSUMER) → connector call (CLIENT) in the worker. */
function jobTrace(api: JobscopeTracing, worker: JobscopeTracing, run: string, i: number): string {
  const attributes = { run, job_id: `job-${i}` };
  const submit = api.tracer.startSpan('POST /jobs', { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT);
  const enqueue = api.tracer.startSpan('send jobs:pending', { kind: SpanKind.PRODUCER, attributes }, trace.setSpan(ROOT_CONTEXT, submit));
  enqueue.end();
  submit.end();
  const remote = trace.setSpanContext(ROOT_CONTEXT, { ...enqueue.spanContext(), isRemote: true });
  const proc = worker.tracer.startSpan('process jobs:pending', { kind: SpanKind.CONSUMER, attributes }, remote);
  worker.tracer.startSpan('POST comfyui /prompt', { kind: SpanKind.CLIENT, attributes }, trace.setSpan(remote, proc)).end();
  proc.end();
  return submit.spanContext().traceId;
}

test('spans arrive in otel_traces with their parentage, kind and each process\'s resource', async () => {
  const srv = await startTestServer();
  const run = `parent-${Date.now()}`;
  const mk = (name: string, machine: string): JobscopeTracing => initTracing({
    endpoint: `${srv.url}/v1/traces`, serviceName: name, resource: { machine_id: machine }, registerGlobal: false, spoolDir: false,
    sampling: { ratio: 1 }, env: {}, ...fast,
  });
  const api = mk('api', 'api-1');
  const worker = mk('worker', 'gpu-1');
  try {
    const traceIds = Array.from({ length: 20 }, (_, i) => jobTrace(api, worker, run, i));
    await Promise.all([api.flush(5000), worker.flush(5000)]);
    const rows = await spanRows(srv.server, run);
    assert.equal(rows.length, 80);
    const byId = new Map(rows.map((r) => [r.SpanId, r]));
    for (const t of traceIds) {
      const spans = rows.filter((r) => r.TraceId === t);
      const by = (n: string) => spans.find((s) => s.SpanName === n)!;
      assert.equal(spans.length, 4);
      assert.equal(by('POST /jobs').ParentSpanId, '');
      assert.equal(by('send jobs:pending').ParentSpanId, by('POST /jobs').SpanId);
      assert.equal(by('process jobs:pending').ParentSpanId, by('send jobs:pending').SpanId);
      assert.equal(by('POST comfyui /prompt').ParentSpanId, by('process jobs:pending').SpanId);
      assert.deepEqual([by('send jobs:pending').SpanKind, by('process jobs:pending').SpanKind], ['Producer', 'Consumer']);
      assert.deepEqual([by('POST /jobs').ServiceName, by('POST /jobs').machine], ['api', 'api-1']);
      assert.deepEqual([by('process jobs:pending').ServiceName, by('process jobs:pending').machine], ['worker', 'gpu-1']);
    }
    assert.equal(byId.size, 80, 'each span once');
    assert.equal(worker.stats().export.sent, 40);
  } finally {
    await Promise.all([api.shutdown(1000), worker.shutdown(1000)]);
    await srv.close();
  }
});

test('a batch answered 503 or 429 (Retry-After) is retried with its id and stored once', async () => {
  const srv = await startTestServer();
  const proxy = new FaultProxy(srv.url);
  proxy.policy = (n) => {
    switch (n % 4) {
      case 0: return { kind: 'status', status: 503 };
      case 1: return { kind: 'status', status: 429, retryAfter: '1' };
      case 2: return { kind: 'forward-then-hang' }; // stored, the client never hears: retried, deduplicated by batch id
      default: return { kind: 'pass' };
    }
  };
  const url = await proxy.listen();
  const run = `retry-${Date.now()}`;
  const t = initTracing({
    endpoint: `${url}/v1/traces`, serviceName: 'worker', registerGlobal: false, spoolDir: false, sampling: { ratio: 1 }, env: {},
    maxBatchDelayMs: 30, maxBatchRecords: 50, timeoutMs: 500, retry: { initialDelayMs: 20, maxDelayMs: 200, maxElapsedMs: 10_000 },
    breaker: { failures: 5, halfOpenAfterMs: 200 },
  });
  try {
    for (let i = 0; i < 150; i++) t.tracer.startSpan(`span ${i}`, { attributes: { run, seq: i } }, ROOT_CONTEXT).end();
    assert.ok(await until(() => t.stats().export.sent >= 150, 30_000), JSON.stringify(t.stats().export));
    const rows = await spanRows(srv.server, run);
    assert.equal(rows.length, 150);
    assert.equal(new Set(rows.map((r) => r.SpanId)).size, 150);
    const s = t.stats().export;
    assert.ok(s.retried >= 3, `retried ${s.retried}`);
    assert.equal(s.dropped, 0);
    const ids = proxy.attempts.map((a) => a.batchId);
    assert.ok(ids.length > new Set(ids).size, 'the same batch id was sent more than once');
    assert.ok(proxy.attempts.some((a) => a.fault === 'forward-then-hang'));
    // Retry-After: 1 honoured
    proxy.attempts.forEach((a, i) => {
      if (a.status !== 429) return;
      const next = proxy.attempts.slice(i + 1).find((b) => b.batchId === a.batchId);
      if (next) assert.ok(next.at - a.at >= 950, `retry after ${next.at - a.at} ms`);
    });
  } finally {
    await t.shutdown(1000);
    await proxy.close();
    await srv.close();
  }
});

test('server absent at start, present later: every span arrives exactly once (spool replay, also by the next instance)', async () => {
  const port = await freePort();
  const spool = tempDir('sdk-trace-spool-');
  const run = `absent-${Date.now()}`;
  const opts = {
    endpoint: `http://127.0.0.1:${port}/v1/traces`, serviceName: 'worker', registerGlobal: false, spoolDir: spool.dir,
    sampling: { ratio: 1 }, env: {}, maxBatchRecords: 100, ...fast,
  };
  const first = initTracing(opts);
  const emit = (t: JobscopeTracing, from: number, n: number): void => {
    for (let i = from; i < from + n; i++) t.tracer.startSpan(`s${i}`, { attributes: { run, seq: i } }, ROOT_CONTEXT).end();
  };
  emit(first, 0, 600);
  assert.ok(await until(() => first.stats().export.spooled > 0, 5000), JSON.stringify(first.stats().export));
  emit(first, 600, 400);
  await first.shutdown(1000); // nothing reachable: the rest goes to the spool
  const s1 = first.stats().export;
  assert.equal(s1.sent, 0);
  assert.equal(s1.spooled, 1000);
  assert.equal(s1.dropped, 0);
  // The next process (same spool dir) starts while the server is still absent, then the server comes.
  const second = initTracing(opts);
  emit(second, 1000, 200);
  await new Promise((r) => setTimeout(r, 300));
  const srv = await startTestServer({ port });
  try {
    assert.ok(await until(() => second.stats().export.sent >= 1200, 30_000), JSON.stringify(second.stats().export));
    const rows = await spanRows(srv.server, run);
    assert.equal(rows.length, 1200);
    assert.equal(new Set(rows.map((r) => r.SpanName)).size, 1200);
    const s2 = second.stats().export;
    assert.ok(s2.replayed >= 1000, `replayed ${s2.replayed}`);
    assert.equal(s2.dropped, 0);
  } finally {
    await second.shutdown(1000);
    await srv.close();
    spool.cleanup();
  }
});

test('registerGlobal: a ConnectorLogger record written inside a span is stored with that span\'s trace_id/span_id, the span beside it', async () => {
  const srv = await startTestServer();
  const t = initTracing({ endpoint: `${srv.url}/v1/traces`, serviceName: 'worker', spoolDir: false, sampling: { ratio: 1 }, env: {}, ...fast });
  const logs = createExporter({ endpoint: `${srv.url}/v1/logs`, mode: 'inline', spoolDir: false, maxBatchDelayMs: 30, env: {} });
  const log = new ConnectorLogger({ machineId: 'gpu-1', serviceType: 'comfyui', sink: logs, env: {} });
  const run = `ctx-${Date.now()}`;
  const jobId = `job-${run}`;
  try {
    let ids = { traceId: '', spanId: '' };
    await t.tracer.startActiveSpan('process jobs:pending', { kind: SpanKind.CONSUMER, attributes: { run } }, async (span) => {
      await new Promise((r) => setTimeout(r, 2));
      log.withJobContext(jobId).jobStarted(jobId, { model: 'sdxl' });
      ids = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
      span.end();
    });
    await Promise.all([t.flush(3000), logs.flush(3000)]);
    const spans = await spanRows(srv.server, run);
    assert.deepEqual(spans.map((r) => [r.TraceId, r.SpanId]), [[ids.traceId, ids.spanId]]);
    const rows = await srv.server.store.query<{ TraceId: string; SpanId: string }>(
      'SELECT TraceId, SpanId FROM otel_logs WHERE JobId = {j:String}', { j: jobId },
    );
    assert.deepEqual(rows.map((r) => [r.TraceId, r.SpanId]), [[ids.traceId, ids.spanId]]);
  } finally {
    await logs.close(1000);
    await t.shutdown(1000);
    await srv.close();
  }
});

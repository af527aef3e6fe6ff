/**
 * Job-aware sampling end to end: an "API process" and a "worker process"
 * (two Tracing instances sharing a MemoryDecisionChannel) into a real
 * server. 10 % of normal traces are kept (exactly the head-sampled ones);
 * every failed, retried or slow job's trace is complete, the API's
 * PRODUCER span included although it ended long before the job did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { startTestServer } from '@jobscope/server/testkit';
import { initTracing, type JobscopeTracing } from '../init/init.js';
import { spanRows } from '../init/testkit.js';
import { MemoryDecisionChannel } from './channel.js';
import { headSampled } from './ratio.js';

type Kind = 'normal' | 'failed' | 'retried' | 'slow';

function kindOf(i: number): Kind {
  if (i % 10 === 3) return 'failed';
  if (i % 10 === 7) return 'retried';
  if (i >= 100 && i % 25 === 11) return 'slow';
  return 'normal';
}

test('ratio 0.1 over 600 jobs: ~10 % of normal traces, every failed/retried/slow trace whole, across two processes', async (t) => {
  const srv = await startTestServer();
  const channel = new MemoryDecisionChannel();
  const run = `sampling-${Date.now()}`;
  const mk = (name: string): JobscopeTracing => initTracing({
    endpoint: `${srv.url}/v1/traces`, serviceName: name, registerGlobal: false, spoolDir: false, env: {}, maxBatchDelayMs: 50,
    sampling: { ratio: 0.1, channel, slowMinSamples: 20 },
  });
  const api = mk('api');
  const worker = mk('worker');
  const N = 600;
  const jobs: { i: number; kind: Kind; traceId: string; submit: Context; enqueue: Context }[] = [];
  try {
    // The API submits every job first: its SERVER and PRODUCER spans end long before any job ends.
    for (let i = 0; i < N; i++) {
      const attributes = { run, job_id: `job-${i}` };
      const submit = api.tracer.startSpan('POST /jobs', { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT);
      const submitCtx = trace.setSpan(ROOT_CONTEXT, submit);
      const enqueue = api.tracer.startSpan('send jobs:pending', { kind: SpanKind.PRODUCER, attributes }, submitCtx);
      enqueue.end();
      submit.end();
      const remote = trace.setSpanContext(ROOT_CONTEXT, { ...enqueue.spanContext(), isRemote: true }); // as extracted from the job's traceparent
      jobs.push({ i, kind: kindOf(i), traceId: submit.spanContext().traceId, submit: submitCtx, enqueue: remote });
    }
    const heldByApi = api.stats().spansHeld;
    assert.ok(heldByApi > 900, `the API holds the not head-sampled spans (${heldByApi})`);
    await new Promise((r) => setTimeout(r, 200));

    for (const j of jobs) {
      const attributes = { run, job_id: `job-${j.i}` };
      const attempt = (n: number, fail: boolean): void => {
        const proc = worker.tracer.startSpan('process jobs:pending', { kind: SpanKind.CONSUMER, attributes: { ...attributes, attempt: n } }, j.enqueue);
        worker.tracer.startSpan('POST comfyui /prompt', { kind: SpanKind.CLIENT, attributes }, trace.setSpan(j.enqueue, proc)).end();
        if (fail) proc.setStatus({ code: SpanStatusCode.ERROR, message: 'CUDA out of memory' });
        proc.end();
      };
      const base = { traceId: j.traceId, jobId: `job-${j.i}`, serviceType: 'comfyui', model: 'sdxl' };
      if (j.kind === 'retried') {
        attempt(1, true);
        worker.jobEnded({ ...base, status: 'retried', attempt: 1, durationMs: 100 });
        attempt(2, false);
        worker.jobEnded({ ...base, status: 'completed', attempt: 2, durationMs: 100 });
      } else {
        attempt(1, j.kind === 'failed');
        const durationMs = j.kind === 'slow' ? 1000 : 90 + (j.i % 21);
        const d = worker.jobEnded({ ...base, status: j.kind === 'failed' ? 'failed' : 'completed', attempt: 1, durationMs });
        if (j.kind !== 'normal') assert.deepEqual([d.keep, d.reason], [true, j.kind], `job ${j.i}`);
      }
      // The webhook's span ends after the job's end, in the API: it follows the decision.
      api.tracer.startSpan('POST webhook', { kind: SpanKind.CLIENT, attributes }, j.submit).end();
    }
    await Promise.all([api.flush(10_000), worker.flush(10_000)]);

    const rows = await spanRows(srv.server, run);
    const byTrace = new Map<string, typeof rows>();
    for (const r of rows) byTrace.set(r.TraceId, [...(byTrace.get(r.TraceId) ?? []), r]);
    const normal = jobs.filter((j) => j.kind === 'normal');
    const exportedNormal = normal.filter((j) => byTrace.has(j.traceId));
    const share = exportedNormal.length / normal.length;
    t.diagnostic(`normal traces exported: ${exportedNormal.length}/${normal.length} (${(share * 100).toFixed(1)} %)`);
    assert.ok(share > 0.05 && share < 0.16, `share of normal traces exported ${share}`);
    assert.deepEqual(exportedNormal.map((j) => j.i), normal.filter((j) => headSampled(j.traceId, 0.1)).map((j) => j.i), 'exactly the head-sampled ones');

    for (const j of jobs) {
      const spans = byTrace.get(j.traceId) ?? [];
      if (j.kind === 'normal' && !headSampled(j.traceId, 0.1)) {
        assert.equal(spans.length, 0);
        continue;
      }
      const expected = j.kind === 'retried' ? 7 : 5;
      assert.equal(spans.length, expected, `job ${j.i} (${j.kind}): ${spans.map((s) => s.SpanName).join(', ')}`);
      const by = (n: string) => spans.filter((s) => s.SpanName === n);
      const [submit] = by('POST /jobs');
      const [enqueue] = by('send jobs:pending');
      assert.equal(submit.ServiceName, 'api');
      assert.equal(enqueue.ParentSpanId, submit.SpanId);
      for (const p of by('process jobs:pending')) assert.equal(p.ParentSpanId, enqueue.SpanId);
      assert.equal(by('POST webhook')[0].ParentSpanId, submit.SpanId);
      assert.equal(new Set(spans.map((s) => s.SpanId)).size, expected, 'each span once');
    }

    const a = api.stats();
    const w = worker.stats();
    assert.equal(a.spansHeld, 0, 'every held span was released or discarded by a decision');
    assert.equal(w.spansHeld, 0);
    assert.equal(a.spansEvicted + w.spansEvicted, 0);
    assert.ok(a.spansKeptByDecision > 0 && a.spansDiscarded > 0);
    assert.ok(a.decisionsReceived > 0);
    assert.equal(a.spansExported + a.spansDiscarded, a.spansStarted, 'API: every span exported or discarded');
    assert.equal(w.spansExported + w.spansDiscarded, w.spansStarted, 'worker: every span exported or discarded');
    assert.equal(a.export.sent + w.export.sent, rows.length);
    for (const reason of ['failed', 'retried', 'slow']) assert.ok((w.tracesKeptByReason[reason] ?? 0) > 0, reason);
    assert.equal(w.tracesKeptByReason.slow, jobs.filter((j) => j.kind === 'slow').length);
  } finally {
    await Promise.all([api.shutdown(2000), worker.shutdown(2000)]);
    await srv.close();
  }
});

test('through initTracing: maxHeldSpans and maxHoldMs evictions are counted', async () => {
  const t = initTracing({
    serviceName: 'w', registerGlobal: false, spoolDir: false, env: {}, sampling: { ratio: 0, maxHeldSpans: 50, maxHoldMs: 100 },
  }, { post: async () => ({ rejected: 0 }) });
  try {
    for (let i = 0; i < 120; i++) t.tracer.startSpan(`s${i}`, {}, ROOT_CONTEXT).end();
    let s = t.stats();
    assert.equal(s.spansHeld, 50);
    assert.equal(s.spansEvictedFull, 70);
    await new Promise((r) => setTimeout(r, 250));
    s = t.stats();
    assert.equal(s.spansHeld, 0);
    assert.equal(s.spansEvictedExpired, 50);
    assert.equal(s.spansEvicted, 120);
    assert.equal(s.spansExported, 0);
  } finally {
    await t.shutdown(500);
  }
});

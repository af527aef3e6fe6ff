/**
 * One job, one trace: an API service submits a job into a "Redis hash"
 * (strings only), a worker with no shared async context claims and
 * processes it (connector call, ComfyUI nodes, webhook), a retried job links
 * its attempts, and a ConnectorLogger record inside the process span carries
 * that span's ids.
 */
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ConnectorLogger } from '../../logger/connector-logger.js';
import { MemorySink } from '../../logger/testkit.js';
import { formatTraceparent } from '../propagation/index.js';
import { traceClaim, traceComfyNode, traceConnectorCall, traceProcess, traceSubmit, traceWebhook } from './index.js';
import { idOf, parentOf, setupTracing } from './test-support.js';

const t = setupTracing();
const tracer = t.tracer;

after(() => t.shutdown());
beforeEach(() => t.reset());

/** A Redis stand-in: HSET stores strings only, HGETALL returns a fresh copy. */
class FakeRedis {
  private readonly hashes = new Map<string, Record<string, string>>();
  hset(key: string, fields: Record<string, unknown>): void {
    const h = this.hashes.get(key) ?? {};
    for (const [k, v] of Object.entries(fields)) h[k] = typeof v === 'string' ? v : JSON.stringify(v);
    this.hashes.set(key, h);
  }
  hgetall(key: string): Record<string, string> {
    return { ...(this.hashes.get(key) ?? {}) };
  }
}

/** Runs fn on a later turn of the event loop with no inherited context, as another process would. */
function inAnotherProcess<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setImmediate(() => {
      context.with(ROOT_CONTEXT, () => fn().then(resolve, reject));
    });
  });
}

const NODES = [
  { id: '4', type: 'CheckpointLoaderSimple' },
  { id: '3', type: 'KSampler' },
  { id: '8', type: 'VAEDecode' },
];

/** The API service: a request span, then the submit. */
async function apiSubmit(redis: FakeRedis, spec: Record<string, unknown>): Promise<{ jobId: string; requestSpanId: string; traceId: string }> {
  return tracer.startActiveSpan('POST /jobs', { kind: SpanKind.SERVER }, async (request) => {
    const job: Record<string, unknown> = { ...spec };
    const jobId = await traceSubmit(job, async (_span, set) => {
      const id = 'job-42';
      // the queue assigns the id and stores the hash, with the injected traceparent
      assert.match(String(job.traceparent), /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/, 'injected before fn runs');
      redis.hset(`job:${id}`, { ...job, id, attempts: 0, queued_at: 1_000, status: 'queued' });
      set({ jobId: id });
      return id;
    }, { tracer });
    request.end();
    return { jobId, requestSpanId: request.spanContext().spanId, traceId: request.spanContext().traceId };
  });
}

/** The worker: claim, process one attempt with a ComfyUI call (3 nodes), optionally fail, send the webhook. */
async function workerAttempt(redis: FakeRedis, jobId: string, opts: { fail?: boolean; logger?: ConnectorLogger } = {}): Promise<void> {
  assert.equal(trace.getActiveSpan(), undefined, 'the worker shares no context with the API');
  const claimed = redis.hgetall(`job:${jobId}`);
  const attempt = Number(claimed.attempts) + 1;
  redis.hset(`job:${jobId}`, { attempts: attempt, claimed_at: Number(claimed.queued_at) + 250 * attempt, status: 'assigned' });
  const job = redis.hgetall(`job:${jobId}`);
  await traceClaim(job, async () => undefined, { tracer });
  try {
    await traceProcess(job, async () => {
      // persist last_attempt now (traceProcess wrote it into the object)
      redis.hset(`job:${jobId}`, { last_attempt: job.last_attempt });
      opts.logger?.withJobContext(jobId).jobStarted(jobId, { model: 'sdxl' });
      await traceConnectorCall('comfyui', async (_span, set) => {
        set({ promptId: `prompt-${attempt}` });
        for (const node of NODES) {
          await traceComfyNode(node.id, node.type, async (_n, setNode) => {
            await new Promise((r) => setTimeout(r, 1));
            setNode({ vramUsage: 6144 });
            if (opts.fail === true && node.id === '8') throw Object.assign(new Error('CUDA out of memory'), { name: 'OutOfMemoryError' });
          }, { tracer });
        }
        set({ vramUsage: 6144, outputSize: 1_234_567 });
      }, { workflowHash: 'wf-abc', nodeCount: NODES.length, url: 'http://127.0.0.1:8188/prompt' }, { tracer });
      await traceWebhook(job, 'https://hooks.example.com/done?sig=secret', async () => ({ status: 200 }), { tracer, attempt: 1 });
    }, { tracer, attempt });
  } catch {
    redis.hset(`job:${jobId}`, { status: 'queued', queued_at: 2_000 }); // back into jobs:pending
  }
}

function one(name: string, filter?: (s: ReadableSpan) => boolean): ReadableSpan {
  const found = t.spans().filter((s) => s.name === name && (filter === undefined || filter(s)));
  assert.equal(found.length, 1, `one "${name}": ${t.spans().map((s) => s.name).join(', ')}`);
  return found[0];
}

test('submit → claim → process → connector → nodes → webhook: one trace, parents, kinds, names, attributes', async () => {
  const redis = new FakeRedis();
  const sink = new MemorySink();
  const logger = new ConnectorLogger({ machineId: 'gpu-1', serviceType: 'comfyui', sink, env: {} });
  const { jobId, requestSpanId, traceId } = await apiSubmit(redis, { service_type: 'comfyui', model: 'sdxl' });
  await inAnotherProcess(() => workerAttempt(redis, jobId, { logger }));

  const spans = t.spans();
  assert.equal(spans.length, 1 + 1 + 1 + 1 + 1 + NODES.length + 1);
  for (const s of spans) assert.equal(s.spanContext().traceId, traceId, `${s.name} in the job's trace`);
  for (const [id, n] of t.ends) assert.equal(n, 1, `span ${id} ended once`);

  const send = one('send jobs:pending');
  const receive = one('receive jobs:pending');
  const process = one('process jobs:pending');
  const workflow = one('comfyui workflow');
  const webhook = one('POST');

  // parents
  assert.equal(parentOf(send), requestSpanId, 'send is a child of the API request');
  assert.equal(parentOf(receive), idOf(send), 'receive continues the job context');
  assert.equal(parentOf(process), idOf(send), 'process continues the job context');
  assert.equal(receive.parentSpanContext?.isRemote, true);
  assert.equal(parentOf(workflow), idOf(process));
  for (const node of NODES) assert.equal(parentOf(one(`comfyui node ${node.type}`)), idOf(workflow));
  assert.equal(parentOf(webhook), idOf(process), 'a webhook sent inside the process span is its child');

  // kinds
  assert.equal(send.kind, SpanKind.PRODUCER);
  assert.equal(receive.kind, SpanKind.CLIENT);
  assert.equal(process.kind, SpanKind.CONSUMER);
  assert.equal(workflow.kind, SpanKind.CLIENT);
  for (const node of NODES) assert.equal(one(`comfyui node ${node.type}`).kind, SpanKind.INTERNAL);
  assert.equal(webhook.kind, SpanKind.CLIENT);

  // messaging attributes
  for (const [s, op] of [[send, 'send'], [receive, 'receive'], [process, 'process']] as const) {
    assert.equal(s.attributes['messaging.system'], 'redis');
    assert.equal(s.attributes['messaging.destination.name'], 'jobs:pending');
    assert.equal(s.attributes['messaging.operation.type'], op);
    assert.equal(s.attributes['messaging.operation.name'], op);
    assert.equal(s.attributes['messaging.message.id'], jobId);
    assert.equal(s.attributes.job_id, jobId);
    assert.equal(s.attributes.service_type, 'comfyui');
    assert.equal(s.attributes.model, 'sdxl');
    assert.equal(s.status.code, SpanStatusCode.UNSET);
  }
  assert.equal(send.attributes.attempt, undefined);
  assert.equal(receive.attributes.attempt, 1);
  assert.equal(process.attributes.attempt, 1);
  assert.equal(process.attributes.queue_wait_ms, 250, 'claimed_at - queued_at');
  // receive and process link to the creation context (the send span)
  for (const s of [receive, process]) {
    assert.ok(s.links.some((l) => l.context.spanId === idOf(send)), `${s.name} links to the creation context`);
  }

  // job fields flow to the spans inside the process span
  for (const s of [workflow, webhook, ...NODES.map((n) => one(`comfyui node ${n.type}`))]) {
    assert.equal(s.attributes.job_id, jobId, s.name);
    assert.equal(s.attributes.service_type, 'comfyui', s.name);
    assert.equal(s.attributes.attempt, 1, s.name);
  }

  // connector attributes
  assert.equal(workflow.attributes.workflow_hash, 'wf-abc');
  assert.equal(workflow.attributes.prompt_id, 'prompt-1');
  assert.equal(workflow.attributes.node_count, 3);
  assert.equal(workflow.attributes.vram_usage, 6144);
  assert.equal(workflow.attributes.output_size, 1_234_567);
  assert.equal(workflow.attributes['server.address'], '127.0.0.1');
  assert.equal(workflow.attributes['server.port'], 8188);
  const ksampler = one('comfyui node KSampler');
  assert.equal(ksampler.attributes.node_id, '3');
  assert.equal(ksampler.attributes.node_type, 'KSampler');
  assert.equal(ksampler.attributes.workflow_hash, 'wf-abc');
  assert.equal(ksampler.attributes.prompt_id, 'prompt-1', 'the prompt id set on the workflow after the start reaches the nodes');
  assert.equal(ksampler.attributes.vram_usage, 6144);

  // webhook: HTTP client conventions
  assert.equal(webhook.attributes['http.request.method'], 'POST');
  assert.equal(webhook.attributes['url.full'], 'https://hooks.example.com/done?sig=REDACTED');
  assert.equal(webhook.attributes['server.address'], 'hooks.example.com');
  assert.equal(webhook.attributes['server.port'], 443);
  assert.equal(webhook.attributes['http.response.status_code'], 200);
  assert.equal(webhook.attributes['http.request.resend_count'], undefined, 'first try: no resend count');
  assert.equal(webhook.status.code, SpanStatusCode.UNSET);

  // the ConnectorLogger record written inside traceProcess carries the process span's ids
  const rec = sink.last();
  assert.equal(rec.event_type, 'job_started');
  assert.equal(rec.trace_id, traceId);
  assert.equal(rec.span_id, idOf(process));
});

test('a ConnectorLogger record inside traceProcess carries that span\'s trace_id / span_id', async () => {
  const sink = new MemorySink();
  const log = new ConnectorLogger({ machineId: 'm', serviceType: 'openai', sink, env: {} });
  const job = { id: 'job-log', service_type: 'openai', traceparent: formatTraceparent({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }) };
  let processId = '';
  await inAnotherProcess(() => traceProcess(job, async (span) => {
    processId = span.spanContext().spanId;
    await new Promise((r) => setTimeout(r, 1));
    log.withJobContext('job-log').jobStarted('job-log');
    await traceConnectorCall('openai', async () => {
      log.info('calling openai');
    }, { model: 'gpt-4o-mini' }, { tracer });
    log.jobCompleted('job-log');
  }, { tracer, attempt: 1 }));
  const [started, inner, completed] = sink.records();
  assert.equal(started.trace_id, 'a'.repeat(32));
  assert.equal(started.span_id, processId);
  assert.equal(completed.span_id, processId);
  assert.equal(inner.span_id, idOf(one('chat gpt-4o-mini')), 'inside the connector span: its id');
  assert.equal(idOf(one('process jobs:pending')), processId);
});

test('a retried job: attempt 2\'s process span links to attempt 1\'s, both in the job\'s trace', async () => {
  const redis = new FakeRedis();
  const { jobId, traceId } = await apiSubmit(redis, { service_type: 'comfyui', model: 'sdxl' });
  await inAnotherProcess(() => workerAttempt(redis, jobId, { fail: true }));
  await inAnotherProcess(() => workerAttempt(redis, jobId));

  const send = one('send jobs:pending');
  const [p1, p2] = t.allByName('process jobs:pending').sort((a, b) => Number(a.attributes.attempt) - Number(b.attributes.attempt));
  assert.equal(p1.attributes.attempt, 1);
  assert.equal(p2.attributes.attempt, 2);
  for (const p of [p1, p2]) {
    assert.equal(p.spanContext().traceId, traceId);
    assert.equal(parentOf(p), idOf(send));
  }
  assert.equal(p1.status.code, SpanStatusCode.ERROR);
  assert.equal(p1.attributes['error.type'], 'OutOfMemoryError');
  assert.equal(p1.attributes.error_type, 'memory');
  assert.equal(p2.status.code, SpanStatusCode.UNSET);
  assert.equal(p1.links.some((l) => l.attributes?.['jobscope.link.type'] === 'previous_attempt'), false, 'attempt 1 has no previous attempt');
  const prev = p2.links.filter((l) => l.attributes?.['jobscope.link.type'] === 'previous_attempt');
  assert.equal(prev.length, 1);
  assert.equal(prev[0].context.spanId, idOf(p1));
  assert.equal(prev[0].context.traceId, traceId);
  assert.equal(p1.attributes.queue_wait_ms, 250);
  assert.equal(p2.attributes.queue_wait_ms, 500, 'from the retry\'s queued_at to its claimed_at');
  assert.equal(redis.hgetall(`job:${jobId}`).last_attempt, formatTraceparent(p2.spanContext()), 'the latest attempt is recorded');

  // the failing node, its workflow and the process span all failed; the exception is recorded once per span
  const vae = t.allByName('comfyui node VAEDecode').find((s) => s.status.code === SpanStatusCode.ERROR);
  assert.ok(vae);
  assert.equal(vae.events.filter((e) => e.name === 'exception').length, 1);
  for (const [id, n] of t.ends) assert.equal(n, 1, `span ${id} ended once`);
});

test('a webhook service with no shared context: the webhook span continues the job\'s trace from its traceparent', async () => {
  const redis = new FakeRedis();
  const { jobId, traceId } = await apiSubmit(redis, { service_type: 'rest', webhook_url: 'http://hooks.local:9000/x' });
  const job = redis.hgetall(`job:${jobId}`);
  await inAnotherProcess(async () => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      await traceWebhook(job, job.webhook_url, async (_span, set) => {
        set({ statusCode: attempt === 1 ? 503 : 204 });
      }, { tracer, attempt });
    }
  });
  const send = one('send jobs:pending');
  const [w1, w2] = t.allByName('POST');
  for (const w of [w1, w2]) {
    assert.equal(w.spanContext().traceId, traceId);
    assert.equal(parentOf(w), idOf(send));
    assert.equal(w.attributes.job_id, jobId);
    assert.equal(w.attributes['server.address'], 'hooks.local');
    assert.equal(w.attributes['server.port'], 9000);
  }
  assert.equal(w1.attributes['http.response.status_code'], 503);
  assert.equal(w1.status.code, SpanStatusCode.ERROR);
  assert.equal(w1.attributes['error.type'], '503');
  assert.equal(w1.attributes['http.request.resend_count'], undefined);
  assert.equal(w2.attributes['http.response.status_code'], 204);
  assert.equal(w2.status.code, SpanStatusCode.UNSET);
  assert.equal(w2.attributes['error.type'], undefined);
  assert.equal(w2.attributes['http.request.resend_count'], 1);
});

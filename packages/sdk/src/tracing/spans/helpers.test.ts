/** Each helper alone: errors, ending once, return values, options, and every connector kind's attributes. */
import { test, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { context, ProxyTracerProvider, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { formatTraceparent } from '../propagation/index.js';
import {
  errorTypeOf, failSpan, setComfyNode, startComfyNode, traceClaim, traceComfyNode, traceConnectorCall, traceProcess,
  traceSubmit, traceWebhook, type ConnectorKind,
} from './index.js';
import { idOf, parentOf, setupTracing } from './test-support.js';

const t = setupTracing({ global: true });
const tracer = t.tracer;

after(() => t.shutdown());
beforeEach(() => t.reset());

const JOB_TP = formatTraceparent({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 1 });

function only(): ReadableSpan {
  const s = t.spans();
  assert.equal(s.length, 1, s.map((x) => x.name).join(', '));
  return s[0];
}

function assertEndedOnce(): void {
  assert.ok(t.ends.size > 0);
  for (const [id, n] of t.ends) assert.equal(n, 1, `span ${id} ended ${n} times`);
}

// ── errors ───────────────────────────────────────────────────────────────────

const throwers: Array<[string, (fn: (span: Span) => Promise<unknown>) => Promise<unknown>]> = [
  ['traceSubmit', (fn) => traceSubmit({ id: 'j' }, fn, { tracer })],
  ['traceClaim', (fn) => traceClaim({ id: 'j', traceparent: JOB_TP }, fn, { tracer })],
  ['traceProcess', (fn) => traceProcess({ id: 'j', traceparent: JOB_TP }, fn, { tracer, attempt: 1 })],
  ['traceConnectorCall comfyui', (fn) => traceConnectorCall('comfyui', fn, {}, { tracer })],
  ['traceConnectorCall openai', (fn) => traceConnectorCall('openai', fn, { model: 'gpt-4o' }, { tracer })],
  ['traceConnectorCall a1111', (fn) => traceConnectorCall('a1111', fn, {}, { tracer })],
  ['traceConnectorCall rest', (fn) => traceConnectorCall('rest', fn, { url: 'http://x.local/a' }, { tracer })],
  ['traceConnectorCall simulation', (fn) => traceConnectorCall('simulation', fn, {}, { tracer })],
  ['traceComfyNode', (fn) => traceComfyNode('3', 'KSampler', fn, { tracer })],
  ['traceWebhook', (fn) => traceWebhook({ id: 'j', traceparent: JOB_TP }, 'http://hook.local/', fn, { tracer })],
];

for (const [name, run] of throwers) {
  test(`${name}: a throw → status ERROR, exception event, error.type, rethrown, ended once`, async () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8188'), { code: 'ECONNREFUSED' });
    await assert.rejects(run(async () => {
      await new Promise((r) => setTimeout(r, 1));
      throw err;
    }), (e) => e === err);
    const s = only();
    assert.equal(s.status.code, SpanStatusCode.ERROR);
    assert.equal(s.status.message, 'connect ECONNREFUSED 127.0.0.1:8188');
    const ev = s.events.filter((e) => e.name === 'exception');
    assert.equal(ev.length, 1);
    assert.equal(ev[0].attributes?.['exception.message'], 'connect ECONNREFUSED 127.0.0.1:8188');
    assert.equal(s.attributes['error.type'], 'ECONNREFUSED');
    assert.equal(s.attributes.error_type, 'network');
    assert.ok(s.ended);
    assertEndedOnce();
  });

  test(`${name}: returns the callback's value; a synchronous callback works too; success leaves status UNSET`, async () => {
    assert.equal(await run(async () => 'async value'), 'async value');
    assert.equal(await run((() => 'sync value') as unknown as (span: Span) => Promise<unknown>), 'sync value');
    const syncErr = new TypeError('bad');
    await assert.rejects(run((() => { throw syncErr; }) as unknown as (span: Span) => Promise<unknown>), (e) => e === syncErr);
    const [ok1, ok2, failed] = t.spans();
    assert.equal(ok1.status.code, SpanStatusCode.UNSET);
    assert.equal(ok2.status.code, SpanStatusCode.UNSET);
    assert.equal(ok1.attributes['error.type'], undefined);
    assert.equal(failed.attributes['error.type'], 'TypeError');
    assertEndedOnce();
  });

  test(`${name}: the span is active inside the callback, and not after`, async () => {
    let inside: string | undefined;
    await run(async (span) => {
      await Promise.resolve();
      inside = trace.getActiveSpan()?.spanContext().spanId;
      assert.equal(inside, span.spanContext().spanId);
    });
    assert.equal(inside, idOf(only()));
    assert.equal(trace.getActiveSpan(), undefined);
  });
}

test('errorTypeOf: code, cause code, name, _OTHER', () => {
  assert.equal(errorTypeOf(Object.assign(new Error('x'), { code: 'ETIMEDOUT' })), 'ETIMEDOUT');
  assert.equal(errorTypeOf(new TypeError('fetch failed', { cause: Object.assign(new Error('c'), { code: 'ECONNRESET' }) })), 'ECONNRESET');
  assert.equal(errorTypeOf(new DOMException('timed out', 'TimeoutError')), 'TimeoutError');
  assert.equal(errorTypeOf(new RangeError('r')), 'RangeError');
  assert.equal(errorTypeOf('a string'), '_OTHER');
  assert.equal(errorTypeOf(undefined), '_OTHER');
  assert.equal(errorTypeOf({}), '_OTHER');
  class CudaError { }
  assert.equal(errorTypeOf(new CudaError()), 'CudaError');
});

test('a thrown non-Error (a string) still fails the span with an exception event', async () => {
  await assert.rejects(traceConnectorCall('simulation', async () => { throw 'diverged'; }, {}, { tracer }), (e) => e === 'diverged');
  const s = only();
  assert.equal(s.status.code, SpanStatusCode.ERROR);
  assert.equal(s.status.message, 'diverged');
  assert.equal(s.events[0].name, 'exception');
  assert.equal(s.attributes['error.type'], '_OTHER');
});

test('failSpan never throws, even on a broken span', () => {
  const broken = { setStatus() { throw new Error('x'); } } as unknown as Span;
  assert.doesNotThrow(() => failSpan(broken, new Error('y')));
});

// ── messaging ────────────────────────────────────────────────────────────────

test('traceSubmit: PRODUCER in the current context, injected before fn, set({jobId}) after', async () => {
  const job: Record<string, unknown> = { service_type: 'openai', model: 'gpt-4o' };
  await tracer.startActiveSpan('api', async (api) => {
    await traceSubmit(job, async (span, set) => {
      assert.equal(job.traceparent, formatTraceparent(span.spanContext()));
      set({ jobId: 'job-9' });
    }, { tracer });
    api.end();
  });
  const send = t.byName('send jobs:pending');
  assert.equal(send.kind, SpanKind.PRODUCER);
  assert.equal(parentOf(send), idOf(t.byName('api')));
  assert.equal(send.attributes.job_id, 'job-9');
  assert.equal(send.attributes['messaging.message.id'], 'job-9');
  assert.equal(send.attributes.service_type, 'openai');
  assert.equal(send.attributes.model, 'gpt-4o');
});

test('queue and system options name the spans and set messaging.*', async () => {
  const job: Record<string, unknown> = { id: 'j1' };
  const o = { tracer, queue: 'jobs:priority', system: 'valkey' };
  await traceSubmit(job, async () => undefined, o);
  await traceClaim(job, async () => undefined, o);
  await traceProcess(job, async () => undefined, { ...o, attempt: 1 });
  for (const [name, op] of [['send jobs:priority', 'send'], ['receive jobs:priority', 'receive'], ['process jobs:priority', 'process']]) {
    const s = t.byName(name);
    assert.equal(s.attributes['messaging.destination.name'], 'jobs:priority');
    assert.equal(s.attributes['messaging.system'], 'valkey');
    assert.equal(s.attributes['messaging.operation.type'], op);
  }
});

test('traceClaim / traceProcess without a traceparent: a child of the active context (or a new root)', async () => {
  await traceClaim({ id: 'j' }, async () => undefined, { tracer });
  assert.equal(parentOf(only()), '', 'no context at all: a root');
  assert.equal(only().links.length, 0, 'no creation context to link');
  t.reset();
  await tracer.startActiveSpan('poll', async (poll) => {
    await traceProcess({ id: 'j', traceparent: 'garbage' }, async () => undefined, { tracer });
    poll.end();
  });
  assert.equal(parentOf(t.byName('process jobs:pending')), idOf(t.byName('poll')));
});

test('traceProcess options: attempt from the job\'s attempts, queueWaitMs, previousAttempt, links, parent', async () => {
  const prev = { traceId: '3'.repeat(32), spanId: '4'.repeat(16), traceFlags: 1 };
  const other = { traceId: '5'.repeat(32), spanId: '6'.repeat(16), traceFlags: 1 };
  const job: Record<string, string> = { id: 'j', attempts: '3', traceparent: JOB_TP };
  await traceProcess(job, async () => undefined, { tracer, queueWaitMs: 42, previousAttempt: prev, links: [{ context: other }] });
  const s = only();
  assert.equal(s.attributes.attempt, 3, 'from the hash\'s attempts string');
  assert.equal(s.attributes.queue_wait_ms, 42);
  assert.deepEqual(s.links.map((l) => l.context.spanId), ['2'.repeat(16), '4'.repeat(16), '6'.repeat(16)]);
  assert.equal(s.links[1].attributes?.['jobscope.link.type'], 'previous_attempt');
  assert.equal(job.last_attempt, formatTraceparent(s.spanContext()));

  t.reset();
  await tracer.startActiveSpan('explicit parent', async (p) => {
    const parent = context.active();
    await context.with(ROOT_CONTEXT, () => traceProcess({ id: 'j2', traceparent: JOB_TP }, async () => undefined, { tracer, parent }));
    p.end();
  });
  const proc = t.byName('process jobs:pending');
  assert.equal(parentOf(proc), idOf(t.byName('explicit parent')));
  assert.equal(proc.attributes.attempt, 1, 'no attempt anywhere: 1');
  assert.ok(proc.links.some((l) => l.context.spanId === '2'.repeat(16)), 'still linked to the job\'s creation context');
});

test('the default tracer is the global provider\'s @jobscope/sdk tracer', async () => {
  await traceConnectorCall('simulation', async () => undefined, { simulationType: 'monte_carlo' });
  const s = only();
  assert.equal(s.instrumentationScope.name, '@jobscope/sdk');
  assert.equal(s.name, 'simulation monte_carlo');
});

// ── connectors ───────────────────────────────────────────────────────────────

test('openai: CLIENT `{operation} {model}`, gen_ai.* request and (set after the call) response attributes', async () => {
  const out = await traceConnectorCall('openai', async (_span, set) => {
    set({ responseModel: 'gpt-4o-mini-2024-07-18', responseId: 'chatcmpl-1', inputTokens: 12, outputTokens: 40, finishReasons: ['stop'] });
    return 'hello';
  }, { model: 'gpt-4o-mini', maxTokens: 256, temperature: 0.2, url: 'https://api.openai.com/v1/chat/completions', connectorId: 'openai-1' }, { tracer });
  assert.equal(out, 'hello');
  const s = only();
  assert.equal(s.name, 'chat gpt-4o-mini');
  assert.equal(s.kind, SpanKind.CLIENT);
  assert.deepEqual({ ...s.attributes }, {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.system': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.request.max_tokens': 256,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.response.id': 'chatcmpl-1',
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.usage.input_tokens': 12,
    'gen_ai.usage.output_tokens': 40,
    model: 'gpt-4o-mini',
    connector_id: 'openai-1',
    'server.address': 'api.openai.com',
    'server.port': 443,
  });
  t.reset();
  await traceConnectorCall('openai', async () => undefined, { operation: 'embeddings', model: 'text-embedding-3-small' }, { tracer });
  assert.equal(only().name, 'embeddings text-embedding-3-small');
  t.reset();
  await traceConnectorCall('openai', async () => undefined, {}, { tracer });
  assert.equal(only().name, 'chat', 'no model: the operation alone');
});

test('a1111: CLIENT `a1111 {operation}`, sampler/steps/cfg_scale/seed/size/checkpoint', async () => {
  await traceConnectorCall('a1111', async () => undefined, {
    sampler: 'DPM++ 2M Karras', steps: 30, cfgScale: 7.5, seed: -1, size: '1024x768', checkpoint: 'sd_xl_base_1.0.safetensors', vae: 'sdxl_vae', batchSize: 2,
    url: 'http://gpu-1:7860/sdapi/v1/txt2img',
  }, { tracer });
  const s = only();
  assert.equal(s.name, 'a1111 txt2img');
  assert.equal(s.kind, SpanKind.CLIENT);
  assert.deepEqual({ ...s.attributes }, {
    sampler: 'DPM++ 2M Karras', steps: 30, cfg_scale: 7.5, seed: -1, width: 1024, height: 768,
    model_checkpoint: 'sd_xl_base_1.0.safetensors', vae: 'sdxl_vae', batch_size: 2,
    'server.address': 'gpu-1', 'server.port': 7860,
  });
  t.reset();
  await traceConnectorCall('a1111', async () => undefined, { operation: 'img2img', width: 512, height: 512 }, { tracer });
  assert.equal(only().name, 'a1111 img2img');
  assert.equal(only().attributes.width, 512);
});

test('simulation: INTERNAL `simulation {type}`, iterations / iteration / convergence set as it goes', async () => {
  await traceConnectorCall('simulation', async (_s, set) => {
    set({ iteration: 500, convergence: 0.0012 });
  }, { simulationType: 'monte_carlo', iterations: 1000 }, { tracer });
  const s = only();
  assert.equal(s.name, 'simulation monte_carlo');
  assert.equal(s.kind, SpanKind.INTERNAL);
  assert.deepEqual({ ...s.attributes }, { simulation_type: 'monte_carlo', total_iterations: 1000, iteration: 500, convergence: 0.0012 });
});

test('rest: the HTTP client conventions, status from set() or from a returned Response', async () => {
  const res = await traceConnectorCall('rest', async () => new Response('ok', { status: 201 }), { method: 'post', url: 'http://user:pw@api.local:8080/v1/items?Signature=abc&q=1' }, { tracer });
  assert.equal(res.status, 201);
  let s = only();
  assert.equal(s.name, 'POST');
  assert.equal(s.kind, SpanKind.CLIENT);
  assert.deepEqual({ ...s.attributes }, {
    'http.request.method': 'POST',
    'http.request.method_original': 'post',
    'url.full': 'http://REDACTED:REDACTED@api.local:8080/v1/items?Signature=REDACTED&q=1',
    'server.address': 'api.local',
    'server.port': 8080,
    'http.response.status_code': 201,
  });
  assert.equal(s.status.code, SpanStatusCode.UNSET);

  t.reset();
  await traceConnectorCall('rest', async (_s, set) => { set({ statusCode: 429 }); }, { url: 'https://api.local/x', resendCount: 2, model: 'm1' }, { tracer });
  s = only();
  assert.equal(s.name, 'GET');
  assert.equal(s.attributes['http.request.method'], 'GET');
  assert.equal(s.attributes['http.response.status_code'], 429);
  assert.equal(s.attributes['http.request.resend_count'], 2);
  assert.equal(s.attributes['error.type'], '429');
  assert.equal(s.attributes.model, 'm1');
  assert.equal(s.status.code, SpanStatusCode.ERROR);

  t.reset();
  await assert.rejects(traceConnectorCall('rest', async (_s, set) => {
    set({ statusCode: 502 });
    throw new Error('upstream answered 502');
  }, { url: 'https://api.local/x' }, { tracer }));
  assert.equal(only().attributes['error.type'], '502', 'a status ≥ 400 seen before the throw names the error');

  t.reset();
  await traceConnectorCall('rest', async () => undefined, { method: 'PURGE', url: 'http://[::1]/cache' }, { tracer });
  s = only();
  assert.equal(s.name, 'HTTP');
  assert.equal(s.attributes['http.request.method'], '_OTHER');
  assert.equal(s.attributes['http.request.method_original'], 'PURGE');
  assert.equal(s.attributes['server.address'], '::1');
  assert.equal(s.attributes['server.port'], 80);
});

test('comfyui: CLIENT workflow, INTERNAL node children with node_id/node_type/workflow_hash/vram_usage', async () => {
  await traceConnectorCall('comfyui', async (_span, set) => {
    await traceComfyNode('4', 'CheckpointLoaderSimple', async (_n, setNode) => setNode({ cached: true, vramUsage: 2048 }), { tracer });
    set({ promptId: 'p-1', workflowHash: 'wf-2' });
    await traceComfyNode('3', 'KSampler', async (_n, setNode) => setNode({ step: 20, totalSteps: 20 }), { tracer, attrs: { vramUsage: 7000 } });
    // websocket-driven connectors: start/end themselves
    const node = startComfyNode('9', 'SaveImage', { tracer });
    setComfyNode(node, { outputSize: 999 });
    node.end();
  }, { workflowHash: 'wf-1', modelName: 'sdxl_base', clientId: 'c-1', queueRemaining: 2, url: 'ws://comfy.local:8188/ws' }, { tracer });
  const wf = t.byName('comfyui workflow');
  assert.equal(wf.kind, SpanKind.CLIENT);
  assert.deepEqual({ ...wf.attributes }, {
    workflow_hash: 'wf-2', model_name: 'sdxl_base', client_id: 'c-1', queue_remaining: 2, prompt_id: 'p-1',
    'server.address': 'comfy.local', 'server.port': 8188,
  });
  const loader = t.byName('comfyui node CheckpointLoaderSimple');
  assert.deepEqual({ ...loader.attributes }, { node_id: '4', node_type: 'CheckpointLoaderSimple', workflow_hash: 'wf-1', cached: true, vram_usage: 2048 });
  const ks = t.byName('comfyui node KSampler');
  assert.deepEqual({ ...ks.attributes }, { node_id: '3', node_type: 'KSampler', workflow_hash: 'wf-2', prompt_id: 'p-1', vram_usage: 7000, step: 20, total_steps: 20 });
  const save = t.byName('comfyui node SaveImage');
  assert.equal(save.attributes.output_size, 999);
  for (const n of [loader, ks, save]) {
    assert.equal(parentOf(n), idOf(wf));
    assert.equal(n.kind, SpanKind.INTERNAL);
  }
});

test('connector spans outside traceProcess take the job\'s fields from opts.job', async () => {
  await traceConnectorCall('simulation', async () => undefined, {}, { tracer, job: { id: 'job-s', service_type: 'simulation', model: 'm', attempts: '2' } });
  assert.deepEqual({ ...only().attributes }, { job_id: 'job-s', service_type: 'simulation', model: 'm', attempt: 2 });
});

test('an unknown connector kind rejects (and starts no span)', async () => {
  await assert.rejects(traceConnectorCall('telnet' as ConnectorKind, async () => undefined, {}, { tracer }), TypeError);
  assert.equal(t.spans().length, 0);
});

test('traceWebhook: method option, lower-case, resendCount, and a Response status', async () => {
  const job = { id: 'j', traceparent: JOB_TP };
  await traceWebhook(job, 'https://hooks.example.com/a', async () => ({ status: 500 }), { tracer, method: 'put', resendCount: 3 });
  const s = only();
  assert.equal(s.name, 'PUT');
  assert.equal(s.attributes['http.request.method'], 'PUT');
  assert.equal(s.attributes['http.request.resend_count'], 3);
  assert.equal(s.attributes['http.response.status_code'], 500);
  assert.equal(s.status.code, SpanStatusCode.ERROR);
  assert.equal(s.attributes['error.type'], '500');
  assert.equal(s.spanContext().traceId, '1'.repeat(32));
  assert.equal(parentOf(s), '2'.repeat(16));
});

test('with a no-op tracer (no SDK installed) every helper still runs its callback and returns its value', async () => {
  const noop = new ProxyTracerProvider().getTracer('noop');
  const job: Record<string, unknown> = { id: 'j', traceparent: JOB_TP };
  const o = { tracer: noop };
  assert.equal(await traceSubmit(job, () => 1, o), 1);
  assert.equal(await traceClaim(job, () => 2, o), 2);
  assert.equal(await traceProcess(job, async () => {
    assert.equal(await traceConnectorCall('openai', () => 3, { model: 'm' }, o), 3);
    assert.equal(await traceComfyNode('1', 'KSampler', () => 4, o), 4);
    return traceWebhook(job, 'http://h.local/', () => 5, o);
  }, o), 5);
  await assert.rejects(traceProcess(job, () => { throw new Error('x'); }, o), /x/);
  assert.equal(t.spans().length, 0);
});

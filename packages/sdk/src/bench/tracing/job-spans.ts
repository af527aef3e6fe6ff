/**
 * The spans of one job, as a worker fleet makes them — API submit, claim,
 * one attempt, an OpenAI call, the webhook: 5 spans with the attributes and
 * links of the semantic conventions — made two ways for the benchmark:
 * - `jobscopeJob`: with the SDK's helpers (traceSubmit … traceWebhook) on
 *   initTracing's tracer, then `jobEnded` for the sampler;
 * - `plainJob`: the same spans, names, kinds, attributes and links by hand
 *   on the plain OpenTelemetry API (what a team writes without Jobscope),
 *   context carried through the job with the W3C propagator as well.
 */
import { context, ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { traceClaim, traceConnectorCall, traceProcess, traceSubmit, traceWebhook } from '../../tracing/spans/index.js';
import type { Tracing } from '../../tracing/contract.js';

const MODEL = 'gpt-4o-mini';
const HOOK = 'https://hooks.example.com/jobs/done';
const API = 'https://api.openai.com/v1';

/** One job through the SDK's helpers. */
export async function jobscopeJob(tracing: Tracing, n: number): Promise<void> {
  const tracer = tracing.tracer;
  const id = `job-bench-${n}`;
  const carrier: Record<string, unknown> = { service_type: 'openai-text', model: MODEL };
  await traceSubmit(carrier, async (_s, set) => { set({ jobId: id }); }, { tracer, parent: ROOT_CONTEXT });
  const job = { ...carrier, id, attempts: 1 };
  await traceClaim(job, async () => {}, { tracer });
  let traceId = '';
  await traceProcess(job, async (span) => {
    traceId = span.spanContext().traceId;
    await traceConnectorCall('openai', async (_c, set) => {
      set({ responseModel: `${MODEL}-2024-07-18`, responseId: `chatcmpl-${n}`, inputTokens: 52, outputTokens: 211, finishReasons: ['stop'] });
    }, { model: MODEL, url: API, operation: 'chat' }, { tracer });
  }, { tracer, attempt: 1, queueWaitMs: 12 });
  await traceWebhook(job, HOOK, async () => ({ status: 200 }), { tracer, attempt: 1 });
  tracing.jobEnded({ traceId, jobId: id, status: 'completed', serviceType: 'openai-text', model: MODEL, durationMs: 900, attempt: 1 });
}

const w3c = new W3CTraceContextPropagator();
const setter = { set: (c: Record<string, string>, k: string, v: string) => { c[k] = v; } };
const getter = { get: (c: Record<string, string>, k: string) => c[k], keys: (c: Record<string, string>) => Object.keys(c) };

const messaging = (op: 'send' | 'receive' | 'process', id: string, extra: Attributes = {}): Attributes => ({
  'messaging.system': 'redis', 'messaging.destination.name': 'jobs:pending', 'messaging.operation.type': op,
  'messaging.operation.name': op, 'messaging.message.id': id, job_id: id, service_type: 'openai-text', model: MODEL, ...extra,
});

async function inSpan(tracer: Tracer, name: string, kind: SpanKind, attributes: Attributes, parent: Context, fn: (ctx: Context) => unknown, links?: { context: ReturnType<typeof trace.getSpanContext> }[]): Promise<void> {
  const span = tracer.startSpan(name, { kind, attributes, ...(links ? { links: links.filter((l) => l.context).map((l) => ({ context: l.context! })) } : {}) }, parent);
  try {
    await context.with(trace.setSpan(parent, span), () => fn(trace.setSpan(parent, span)));
  } finally {
    span.end();
  }
}

/** The same job on the plain API, awaiting each step as a worker's async code does. */
export async function plainJob(tracer: Tracer, n: number): Promise<void> {
  const id = `job-bench-${n}`;
  const carried: Record<string, string> = {};
  await inSpan(tracer, 'send jobs:pending', SpanKind.PRODUCER, messaging('send', id), ROOT_CONTEXT, (ctx) => { w3c.inject(ctx, carried, setter); });
  const jobCtx = w3c.extract(ROOT_CONTEXT, carried, getter);
  const creation = trace.getSpanContext(jobCtx);
  await inSpan(tracer, 'receive jobs:pending', SpanKind.CLIENT, messaging('receive', id, { attempt: 1 }), jobCtx, () => {}, [{ context: creation }]);
  await inSpan(tracer, 'process jobs:pending', SpanKind.CONSUMER, messaging('process', id, { attempt: 1, queue_wait_ms: 12 }), jobCtx, (ctx) =>
    inSpan(tracer, `chat ${MODEL}`, SpanKind.CLIENT, {
      job_id: id, service_type: 'openai-text', model: MODEL, attempt: 1, 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai', 'gen_ai.request.model': MODEL, 'server.address': 'api.openai.com', 'server.port': 443,
    }, ctx, (c2) => {
      const s = trace.getSpan(c2)!;
      s.setAttributes({ 'gen_ai.response.model': `${MODEL}-2024-07-18`, 'gen_ai.response.id': `chatcmpl-${n}`, 'gen_ai.usage.input_tokens': 52, 'gen_ai.usage.output_tokens': 211, 'gen_ai.response.finish_reasons': ['stop'] });
    }), [{ context: creation }]);
  await inSpan(tracer, 'POST', SpanKind.CLIENT, {
    'http.request.method': 'POST', 'url.full': HOOK, 'server.address': 'hooks.example.com', 'server.port': 443, job_id: id,
    service_type: 'openai-text', model: MODEL, attempt: 1,
  }, jobCtx, (ctx) => { trace.getSpan(ctx)!.setAttribute('http.response.status_code', 200); });
}

export const SPANS_PER_JOB = 5;

/** Holding, releasing and discarding spans by job outcome, with the real OpenTelemetry SDK and a recording sink. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { MemoryDecisionChannel } from './channel.js';
import { resolveSampling, type SamplingOptions } from './options.js';
import { JobSamplingProcessor, type SpanSink } from './processor.js';
import { headSampled, JobAwareSampler } from './ratio.js';

class RecordingSink implements SpanSink {
  spans: ReadableSpan[] = [];
  refuse = false;
  offer(span: ReadableSpan): boolean {
    if (this.refuse) return false;
    this.spans.push(span);
    return true;
  }
  async flush(): Promise<void> {}
  async shutdown(): Promise<void> {}
  names(): string[] {
    return this.spans.map((s) => s.name).sort();
  }
}

function setup(service: string, o: SamplingOptions = {}): { tracer: Tracer; processor: JobSamplingProcessor; sink: RecordingSink; provider: BasicTracerProvider } {
  const cfg = resolveSampling(o);
  const sink = new RecordingSink();
  const processor = new JobSamplingProcessor(sink, cfg);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    sampler: new JobAwareSampler(cfg.ratio, cfg.tail),
    spanProcessors: [processor],
  });
  return { tracer: provider.getTracer('test'), processor, sink, provider };
}

/** A parent context whose trace is (or is not) head-sampled at 10 %. */
function parentOf(head: boolean, flags = TraceFlags.NONE): ReturnType<typeof trace.setSpanContext> {
  for (;;) {
    const traceId = randomBytes(16).toString('hex');
    if (headSampled(traceId, 0.1) === head) {
      return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: randomBytes(8).toString('hex'), traceFlags: flags, isRemote: true });
    }
  }
}

const traceOf = (ctx: ReturnType<typeof parentOf>): string => trace.getSpanContext(ctx)!.traceId;

test('head-sampled spans go out at once; the others wait for the job outcome', () => {
  const { tracer, processor, sink } = setup('w');
  const head = parentOf(true);
  tracer.startSpan('head', {}, head).end();
  assert.deepEqual(sink.names(), ['head']);
  const other = parentOf(false, TraceFlags.SAMPLED); // a sampled parent does not make it sampled
  tracer.startSpan('held-1', {}, other).end();
  tracer.startSpan('held-2', {}, other).end();
  assert.deepEqual(sink.names(), ['head']);
  assert.equal(processor.held, 2);
  const d = processor.jobEnded({ traceId: traceOf(other), jobId: 'j1', status: 'failed' });
  assert.deepEqual(d, { traceId: traceOf(other), keep: true, reason: 'failed' });
  assert.deepEqual(sink.names(), ['head', 'held-1', 'held-2']);
  assert.equal(processor.held, 0);
  assert.equal(processor.counts.spansKeptByDecision, 2);
  assert.equal(processor.counts.spansExported, 3);
  assert.equal(processor.counts.tracesKept, 1);
});

test('a kept trace is exported with the sampled flag set, parentage and the rest as recorded', () => {
  const { tracer, processor, sink } = setup('w');
  const other = parentOf(false);
  const parent = tracer.startSpan('process', { kind: SpanKind.CONSUMER, attributes: { job_id: 'j2' } }, other);
  const child = tracer.startSpan('call', {}, trace.setSpan(other, parent));
  child.end();
  parent.end();
  assert.equal(parent.spanContext().traceFlags & TraceFlags.SAMPLED, 0, 'recorded, not sampled');
  processor.jobEnded({ traceId: traceOf(other), jobId: 'j2', status: 'timeout' });
  const [call, proc] = [...sink.spans].sort((a, b) => a.name.localeCompare(b.name));
  assert.equal(call.spanContext().traceFlags & TraceFlags.SAMPLED, TraceFlags.SAMPLED);
  assert.equal(proc.spanContext().traceFlags & TraceFlags.SAMPLED, TraceFlags.SAMPLED);
  assert.equal(call.parentSpanContext?.spanId, parent.spanContext().spanId);
  assert.equal(proc.parentSpanContext?.spanId, trace.getSpanContext(other)!.spanId);
  assert.equal(proc.attributes.job_id, 'j2');
  assert.equal(proc.kind, SpanKind.CONSUMER);
  // What goes on the wire: OTLP span flags = W3C trace flags (low byte, sampled = 1) | HAS_IS_REMOTE (0x100) | IS_REMOTE (0x200).
  const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sink.spans))) as {
    resourceSpans: { scopeSpans: { spans: { name: string; flags: number }[] }[] }[];
  };
  const flags = Object.fromEntries(json.resourceSpans[0].scopeSpans[0].spans.map((x) => [x.name, x.flags]));
  assert.deepEqual(flags, { call: 0x101, process: 0x301 });
});

test('a normal job drops its trace; spans ending after a decision follow it', () => {
  const { tracer, processor, sink } = setup('w');
  const dropped = parentOf(false);
  tracer.startSpan('a', {}, dropped).end();
  const d = processor.jobEnded({ traceId: traceOf(dropped), jobId: 'j3', status: 'completed', durationMs: 10 });
  assert.deepEqual([d.keep, d.reason], [false, 'normal']);
  tracer.startSpan('late-dropped', {}, dropped).end();
  assert.equal(processor.held, 0);
  assert.equal(processor.counts.spansDiscarded, 2);
  const kept = parentOf(false);
  processor.jobEnded({ traceId: traceOf(kept), jobId: 'j4', status: 'retried' });
  tracer.startSpan('late-kept', {}, kept).end(); // the webhook's span, ending after the job's end
  assert.deepEqual(sink.names(), ['late-kept']);
  assert.equal(sink.spans[0].spanContext().traceFlags & TraceFlags.SAMPLED, TraceFlags.SAMPLED);
  // kept stays kept: a later normal outcome of the same trace does not undo it
  const again = processor.jobEnded({ traceId: traceOf(kept), jobId: 'j4', status: 'completed', attempt: 1 });
  assert.equal(again.keep, true);
  tracer.startSpan('later', {}, kept).end();
  assert.deepEqual(sink.names(), ['late-kept', 'later']);
});

test('two processes sharing a channel: the API holds its PRODUCER span until the worker decides', () => {
  const channel = new MemoryDecisionChannel();
  const api = setup('api', { channel });
  const worker = setup('worker', { channel });
  const decide = (status: string): { api: string[]; worker: string[] } => {
    api.sink.spans = [];
    worker.sink.spans = [];
    const root = parentOf(false);
    const submit = api.tracer.startSpan('POST /jobs', { kind: SpanKind.SERVER }, root);
    const enqueue = api.tracer.startSpan('send jobs:pending', { kind: SpanKind.PRODUCER }, trace.setSpan(root, submit));
    enqueue.end();
    submit.end();
    // The worker continues from the PRODUCER span's context (as extracted from the job's traceparent).
    const remote = trace.setSpanContext(ROOT_CONTEXT, { ...enqueue.spanContext(), isRemote: true });
    const proc = worker.tracer.startSpan('process jobs:pending', { kind: SpanKind.CONSUMER }, remote);
    proc.end();
    assert.equal(api.processor.held, 2);
    worker.processor.jobEnded({ traceId: traceOf(root), jobId: 'j', status });
    return { api: api.sink.names(), worker: worker.sink.names() };
  };
  assert.deepEqual(decide('failed'), { api: ['POST /jobs', 'send jobs:pending'], worker: ['process jobs:pending'] });
  assert.equal(api.processor.held, 0);
  assert.deepEqual(decide('completed'), { api: [], worker: [] });
  assert.equal(api.processor.held, 0);
  assert.equal(api.processor.counts.spansDiscarded, 2);
  assert.equal(api.processor.counts.decisionsReceived, 2);
  assert.equal(worker.processor.counts.decisionsPublished, 2);
  assert.equal(api.processor.counts.tracesKept + api.processor.counts.tracesDiscarded, 0, 'the API decided nothing itself');
});

test('maxHeldSpans: past the bound the oldest trace is evicted whole, counted', () => {
  const { tracer, processor } = setup('w', { maxHeldSpans: 10 });
  const traces = Array.from({ length: 4 }, () => parentOf(false));
  for (const t of traces) for (let i = 0; i < 3; i++) tracer.startSpan(`s${i}`, {}, t).end();
  // 12 spans into a bound of 10: the first trace's 3 went
  assert.equal(processor.held, 9);
  assert.equal(processor.counts.spansEvictedFull, 3);
  processor.jobEnded({ traceId: traceOf(traces[0]), jobId: 'j', status: 'failed' });
  assert.equal(processor.counts.spansKeptByDecision, 0, 'evicted spans are gone');
});

test('maxHoldMs: an undecided trace expires, counted; shutdown drops what is held, counted', async () => {
  const { tracer, processor } = setup('w', { maxHoldMs: 40 });
  const t = parentOf(false);
  tracer.startSpan('a', {}, t).end();
  tracer.startSpan('b', {}, t).end();
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(processor.held, 0);
  assert.equal(processor.counts.spansEvictedExpired, 2);
  tracer.startSpan('c', {}, parentOf(false)).end();
  await processor.close(100);
  assert.equal(processor.counts.spansEvictedShutdown, 1);
  assert.equal(processor.held, 0);
});

test('never throws: a failing channel, a failing sink, garbage decisions', () => {
  const channel = {
    publish(): void { throw new Error('redis down'); },
    subscribe(cb: (d: unknown) => void): () => void { bad = cb; return () => {}; },
  };
  let bad: ((d: unknown) => void) | null = null;
  const { tracer, processor, sink } = setup('w', { channel: channel as never });
  const t = parentOf(false);
  tracer.startSpan('a', {}, t).end();
  sink.refuse = true;
  assert.equal(processor.jobEnded({ traceId: traceOf(t), jobId: 'j', status: 'failed' }).keep, true);
  assert.equal(processor.counts.spansDropped, 1);
  assert.match(processor.lastError ?? '', /redis down/);
  for (const g of [null, 1, {}, { traceId: 'x', keep: true }, { traceId: traceOf(t), keep: 'yes' }]) bad!(g);
  assert.equal(processor.counts.decisionsReceived, 0);
  assert.doesNotThrow(() => processor.jobEnded(null as never));
});

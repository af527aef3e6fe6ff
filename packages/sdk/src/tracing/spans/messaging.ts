/**
 * The job's queue steps as messaging spans (OpenTelemetry messaging semantic
 * conventions): name `{messaging.operation.name} {destination}`,
 * `messaging.system` (redis), `messaging.destination.name` (jobs:pending),
 * `messaging.operation.type` / `.name`, `messaging.message.id` (the job id),
 * plus the job fields.
 *
 * - submit: `send jobs:pending`, PRODUCER, in the caller's context; its
 *   context is the job's creation context, injected into the job.
 * - claim: `receive jobs:pending`, CLIENT (the conventions' kind for a
 *   pull-based receive since semconv 1.27), parent = the job's creation
 *   context, linked to it.
 * - process: `process jobs:pending`, CONSUMER, one span per attempt, parent
 *   = the job's creation context (the conventions allow it for single
 *   messages; we use it so one job is one trace), linked to it and to the
 *   previous attempt's process span; recorded as the job's `last_attempt`.
 */
import { context as contextApi, SpanKind, trace, type Attributes, type Context, type Link, type Span, type SpanContext } from '@opentelemetry/api';
import { DEFAULT_MESSAGING_SYSTEM, DEFAULT_QUEUE_NAME, type AttemptOptions } from '../contract.js';
import {
  extractJobContext, injectJobContext, parseTraceparent, PREVIOUS_ATTEMPT_LINK_ATTRIBUTES, previousAttemptOf, recordAttempt, TRACEPARENT_FIELD,
} from '../propagation/index.js';
import { fillJob, fillJobFields, JOB_CONTEXT_KEY, queueWaitOf, readJob, type JobFields, type JobInfo } from './job.js';
import { defaultTracer, runInSpan, setWith, type SpanCallback, type TraceOptions } from './run.js';
import {
  ATTR_MESSAGING_DESTINATION_NAME, ATTR_MESSAGING_MESSAGE_ID, ATTR_MESSAGING_OPERATION_NAME, ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM, ATTR_QUEUE_WAIT_MS, MESSAGING_OPERATION_TYPE_VALUE_PROCESS, MESSAGING_OPERATION_TYPE_VALUE_RECEIVE,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
} from './semconv.js';

export interface MessagingOptions extends TraceOptions {
  /** messaging.destination.name; default 'jobs:pending'. */
  queue?: string;
  /** messaging.system; default 'redis'. */
  system?: string;
}

/** traceProcess's options: the contract's AttemptOptions (attempt optional: default the job's `attempts`, else 1) + messaging options. */
export interface ProcessOptions extends Omit<AttemptOptions, 'attempt'>, MessagingOptions {
  attempt?: number;
}

/** The span kinds of the three steps. */
export const SEND_SPAN_KIND = SpanKind.PRODUCER;
export const RECEIVE_SPAN_KIND = SpanKind.CLIENT;
export const PROCESS_SPAN_KIND = SpanKind.CONSUMER;

interface QueueNames {
  readonly send: string;
  readonly receive: string;
  readonly process: string;
}

const namesByQueue = new Map<string, QueueNames>();

/** Span names per queue, built once per queue name. */
function namesOf(queue: string): QueueNames {
  let n = namesByQueue.get(queue);
  if (n === undefined) {
    n = { send: `send ${queue}`, receive: `receive ${queue}`, process: `process ${queue}` };
    if (namesByQueue.size < 256) namesByQueue.set(queue, n);
  }
  return n;
}

function messagingAttrs(opts: MessagingOptions | undefined, op: string, job: JobInfo): Attributes {
  const attrs: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: opts?.system ?? DEFAULT_MESSAGING_SYSTEM,
    [ATTR_MESSAGING_DESTINATION_NAME]: opts?.queue ?? DEFAULT_QUEUE_NAME,
    [ATTR_MESSAGING_OPERATION_TYPE]: op,
    [ATTR_MESSAGING_OPERATION_NAME]: op,
  };
  if (job.jobId !== undefined) attrs[ATTR_MESSAGING_MESSAGE_ID] = job.jobId;
  fillJob(attrs, job);
  return attrs;
}

/** The context the callback runs in: the span, and the job's fields for the spans started inside. */
function runContext(parent: Context, span: Span, job: JobInfo): Context {
  const ctx = trace.setSpan(parent, span);
  return job.jobId !== undefined ? ctx.setValue(JOB_CONTEXT_KEY, job) : ctx;
}

/**
 * Submit: a PRODUCER span `send jobs:pending` in the current context (or
 * opts.parent); its context is written into the job (`traceparent`,
 * `tracestate`) before `fn` runs, so `fn` stores the job with it. When the
 * queue assigns the id inside `fn`, give it with `set({ jobId })`.
 *
 *   const record = await traceSubmit(spec, () => queue.submit(spec));
 */
export function traceSubmit<T, J extends object>(job: J, fn: SpanCallback<T, JobFields>, opts?: MessagingOptions): Promise<T> {
  const parent = opts?.parent ?? contextApi.active();
  const info = readJob(job);
  const span = (opts?.tracer ?? defaultTracer()).startSpan(
    namesOf(opts?.queue ?? DEFAULT_QUEUE_NAME).send,
    { kind: SEND_SPAN_KIND, attributes: messagingAttrs(opts, MESSAGING_OPERATION_TYPE_VALUE_SEND, info) },
    parent,
  );
  const ctx = runContext(parent, span, info);
  injectJobContext(job, ctx);
  return runInSpan(span, ctx, fn, (a) => setWith(span, fillJobFields, a));
}

/**
 * The job's creation context (its traceparent) as a link, or undefined:
 * taken from the extracted parent when the parent was extracted (`given`
 * false), else parsed from the job.
 */
function creationLink(job: object, parent: Context, active: Context, given: boolean): Link | undefined {
  let sc: SpanContext | undefined;
  if (!given) sc = parent === active ? undefined : trace.getSpanContext(parent);
  else sc = parseTraceparent((job as Record<string, unknown>)[TRACEPARENT_FIELD]);
  return sc === undefined ? undefined : { context: sc };
}

/**
 * Claim: a CLIENT span `receive jobs:pending` (messaging.operation.type
 * receive) whose parent is the job's trace context (`traceparent`), or
 * opts.parent; linked to the job's creation context.
 *
 *   const job = await queue.claim(worker);
 *   if (job) await traceClaim(job, () => queue.accept(job.id));
 */
export function traceClaim<T, J extends object>(job: J, fn: SpanCallback<T, JobFields>, opts?: MessagingOptions): Promise<T> {
  const active = contextApi.active();
  const parent = opts?.parent ?? extractJobContext(job, active);
  const info = readJob(job);
  const link = creationLink(job, parent, active, opts?.parent !== undefined);
  const span = (opts?.tracer ?? defaultTracer()).startSpan(
    namesOf(opts?.queue ?? DEFAULT_QUEUE_NAME).receive,
    { kind: RECEIVE_SPAN_KIND, attributes: messagingAttrs(opts, MESSAGING_OPERATION_TYPE_VALUE_RECEIVE, info), links: link === undefined ? undefined : [link] },
    parent,
  );
  return runInSpan(span, runContext(parent, span, info), fn, (a) => setWith(span, fillJobFields, a));
}

/**
 * Process (one attempt): a CONSUMER span `process jobs:pending` whose parent
 * is the job's trace context (or opts.parent), with `attempt` (opts.attempt,
 * else the job's `attempts`, else 1), `queue_wait_ms` (opts.queueWaitMs,
 * else `claimed_at - queued_at` of the job) and the job's fields; linked to
 * the job's creation context, to the previous attempt (opts.previousAttempt,
 * else the job's `last_attempt`) and to opts.links. The span is recorded as
 * the job's `last_attempt` before `fn` runs: persist that field with the job
 * when it is re-queued. A throw marks the span failed and is rethrown.
 *
 *   await traceProcess(job, async (span) => connector.run(job), { attempt: job.attempts });
 */
export function traceProcess<T, J extends object>(job: J, fn: SpanCallback<T, JobFields>, opts?: ProcessOptions): Promise<T> {
  const active = contextApi.active();
  const parent = opts?.parent ?? extractJobContext(job, active);
  let info = readJob(job, opts?.attempt);
  if (info.attempt === undefined) info = { jobId: info.jobId, serviceType: info.serviceType, model: info.model, attempt: 1 };
  const attrs = messagingAttrs(opts, MESSAGING_OPERATION_TYPE_VALUE_PROCESS, info);
  const wait = opts?.queueWaitMs ?? queueWaitOf(job);
  if (wait !== undefined) attrs[ATTR_QUEUE_WAIT_MS] = wait;

  let links: Link[] | undefined;
  const creation = creationLink(job, parent, active, opts?.parent !== undefined);
  if (creation !== undefined) links = [creation];
  const previous = opts?.previousAttempt ?? previousAttemptOf(job);
  if (previous !== undefined) (links ??= []).push({ context: previous, attributes: PREVIOUS_ATTEMPT_LINK_ATTRIBUTES });
  if (opts?.links !== undefined && opts.links.length > 0) links = links === undefined ? opts.links.slice() : links.concat(opts.links);

  const span = (opts?.tracer ?? defaultTracer()).startSpan(
    namesOf(opts?.queue ?? DEFAULT_QUEUE_NAME).process,
    { kind: PROCESS_SPAN_KIND, attributes: attrs, links },
    parent,
  );
  recordAttempt(job, span);
  return runInSpan(span, runContext(parent, span, info), fn, (a) => setWith(span, fillJobFields, a));
}

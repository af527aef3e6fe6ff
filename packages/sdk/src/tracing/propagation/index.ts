/**
 * Trace context on job objects (tracing, track 3): one W3C trace per job,
 * carried in the job itself — a Redis hash's fields or a JSON payload — as
 * `traceparent` / `tracestate` strings, so a worker with no shared memory or
 * async context continues the trace the API service started.
 *
 * The W3C TraceContext format is written and read with
 * `W3CTraceContextPropagator` from @opentelemetry/core directly, not through
 * the global propagator: it works when nothing is registered globally, and a
 * process that registers another propagator (B3…) still writes W3C into jobs.
 *
 * Attempts: the carrier also keeps `last_attempt`, the span context (in
 * traceparent format) of the latest attempt's process span, so the next
 * attempt's process span — maybe on another machine — links to it.
 *
 * None of these functions throws: a missing, malformed or hostile field is
 * ignored (extract returns its base context, attemptLinkFrom undefined).
 */
import {
  context as contextApi, isSpanContextValid, ROOT_CONTEXT, trace,
  type Context, type Link, type Span, type SpanContext, type TextMapGetter, type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator, parseTraceParent } from '@opentelemetry/core';
import type { JobCarrier } from '../contract.js';

/** Field of the job carrier holding the previous attempt's process span context (traceparent format). */
export const LAST_ATTEMPT_FIELD = 'last_attempt';
export const TRACEPARENT_FIELD = 'traceparent';
export const TRACESTATE_FIELD = 'tracestate';

/** Attributes of the link from an attempt's process span to the previous attempt's (shared, never mutated: the SDK copies link attributes). */
export const PREVIOUS_ATTEMPT_LINK_ATTRIBUTES = Object.freeze({ 'jobscope.link.type': 'previous_attempt' });

const propagator = new W3CTraceContextPropagator();

type Fields = Record<string, unknown>;

/** Reads string fields only (a number, an array, an object is "missing"; a class's getter counts). */
const getter: TextMapGetter<Fields> = {
  keys(carrier) {
    return Object.keys(carrier);
  },
  get(carrier, key) {
    const v = carrier[key];
    return typeof v === 'string' ? v : undefined;
  },
};

const setter: TextMapSetter<Fields> = {
  set(carrier, key, value) {
    carrier[key] = value;
  },
};

/**
 * Writes the W3C trace context of `ctx` (default: the active context) into
 * the job: `traceparent`, and `tracestate` when the span context has one (an
 * existing `tracestate` field of another trace is emptied). Nothing is
 * written when `ctx` holds no valid span context. Returns the job.
 * Works on any object carrier: a job, a payload, HTTP headers.
 */
export function injectJobContext<J extends object = JobCarrier>(job: J, ctx: Context = contextApi.active()): J & JobCarrier {
  const carrier = job as unknown as Fields;
  try {
    const sc = trace.getSpanContext(ctx);
    if (sc === undefined || !isSpanContextValid(sc)) return carrier as J & JobCarrier;
    if (sc.traceState === undefined && typeof carrier[TRACESTATE_FIELD] === 'string') carrier[TRACESTATE_FIELD] = '';
    propagator.inject(ctx, carrier, setter);
  } catch {
    // a frozen or exotic object: the job goes on without trace context
  }
  return carrier as J & JobCarrier;
}

/**
 * The context a job's trace continues from: `base` (default ROOT_CONTEXT)
 * with the job's remote span context as parent. A missing or invalid
 * `traceparent` (wrong version, all-zero ids, not a string…) → `base`,
 * never a throw. `tracestate` is kept.
 */
export function extractJobContext(job: object | null | undefined, base: Context = ROOT_CONTEXT): Context {
  if (job === null || job === undefined || typeof job !== 'object') return base;
  try {
    // A worker extracts the same job several times (claim, process, connector, webhook): parse once.
    const f = job as Fields;
    const tp = f[TRACEPARENT_FIELD];
    const ts = f[TRACESTATE_FIELD];
    const hit = EXTRACTED.get(job);
    if (hit !== undefined && hit.base === base && hit.tp === tp && hit.ts === ts) return hit.ctx;
    let ctx = propagator.extract(base, f, getter);
    if (ctx !== base) {
      const sc = trace.getSpanContext(ctx);
      if (sc === undefined || !isSpanContextValid(sc)) ctx = base;
    }
    EXTRACTED.set(job, { base, tp, ts, ctx });
    return ctx;
  } catch {
    return base;
  }
}

/** The last extraction per carrier object (the carrier's fields are compared before it is reused). */
const EXTRACTED = new WeakMap<object, { base: Context; tp: unknown; ts: unknown; ctx: Context }>();

/** The traceparent-format string of a span context (`00-{trace id}-{span id}-{flags}`). */
export function formatTraceparent(sc: SpanContext): string {
  const flags = (sc.traceFlags & 0xff).toString(16);
  return `00-${sc.traceId}-${sc.spanId}-${flags.length === 1 ? '0' + flags : flags}`;
}

/** A remote span context from a traceparent-format string, or undefined when it is not a valid one. */
export function parseTraceparent(value: unknown): SpanContext | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  try {
    const sc = parseTraceParent(value);
    if (sc === null || !isSpanContextValid(sc)) return undefined;
    sc.isRemote = true;
    return sc;
  } catch {
    return undefined;
  }
}

/** The previous attempt's process span context, read from the job's `last_attempt` field. */
export function previousAttemptOf(job: object | null | undefined): SpanContext | undefined {
  if (job === null || job === undefined || typeof job !== 'object') return undefined;
  return parseTraceparent((job as Fields)[LAST_ATTEMPT_FIELD]);
}

/**
 * A link to the previous attempt's process span (from the job's
 * `last_attempt`), with attribute `jobscope.link.type: previous_attempt`;
 * undefined on the first attempt or when the field is invalid.
 */
export function attemptLinkFrom(job: object | null | undefined): Link | undefined {
  const sc = previousAttemptOf(job);
  return sc === undefined ? undefined : { context: sc, attributes: PREVIOUS_ATTEMPT_LINK_ATTRIBUTES };
}

/**
 * Records `span` (an attempt's process span, or a span context) as the job's
 * latest attempt: `job.last_attempt = "00-{trace}-{span}-{flags}"`. Persist
 * the field with the job (e.g. `HSET job:{id} last_attempt …` when the job is
 * re-queued) so the next attempt links to this one. An invalid span context
 * writes nothing. Returns the job.
 */
export function recordAttempt<J extends object = JobCarrier>(job: J, span: Span | SpanContext): J & JobCarrier {
  const carrier = job as unknown as Fields;
  try {
    const sc = 'spanContext' in span && typeof span.spanContext === 'function' ? span.spanContext() : (span as SpanContext);
    if (isSpanContextValid(sc)) carrier[LAST_ATTEMPT_FIELD] = formatTraceparent(sc);
  } catch {
    // a frozen or exotic object
  }
  return carrier as J & JobCarrier;
}

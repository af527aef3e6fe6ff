/**
 * The one way every helper runs its callback: the span is active in the
 * callback's context, a throw sets status ERROR, records the exception and
 * `error.type` (plus our `error_type` class), and is rethrown; the span ends
 * exactly once, whatever happens; the callback's value is returned.
 */
import { context as contextApi, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { classifyError } from '../../classify/index.js';
import { ATTR_ERROR_CLASS, ATTR_ERROR_TYPE, ERROR_TYPE_VALUE_OTHER } from './semconv.js';

/** The instrumentation scope of the helpers' spans when no tracer is given. */
export const TRACER_NAME = '@jobscope/sdk';

/** Sets attributes on the helper's span after the call began (tokens, a status code…); typed per helper. */
export type SetAttrs<A> = (attrs: A) => void;

/** A helper's callback: runs inside the span (active in its context); may set result attributes through `set`. */
export type SpanCallback<T, A> = (span: Span, set: SetAttrs<A>) => T | Promise<T>;

/** Options every helper takes. */
export interface TraceOptions {
  /** Default: trace.getTracer('@jobscope/sdk') of the global provider (resolved again if the global provider changes). */
  tracer?: Tracer;
  /** Parent context instead of the helper's default. */
  parent?: Context;
}

let cachedProvider: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

/** The default tracer; cached while the global (proxy) provider stays the same one. */
export function defaultTracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (provider !== cachedProvider || cachedTracer === undefined) {
    cachedProvider = provider;
    cachedTracer = provider.getTracer(TRACER_NAME);
  }
  return cachedTracer;
}

/**
 * `error.type` for a thrown value: a string `code` of the error or of its
 * `cause` (ECONNREFUSED behind undici's "fetch failed"), else its name
 * (TimeoutError, AbortError, TypeError…), else `_OTHER`. Low cardinality.
 */
export function errorTypeOf(err: unknown): string {
  if (err !== null && typeof err === 'object') {
    const e = err as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && e.code.length > 0) return e.code;
    const cause = e.cause as { code?: unknown } | null | undefined;
    if (cause !== null && typeof cause === 'object' && typeof cause.code === 'string' && cause.code.length > 0) return cause.code;
    if (typeof e.name === 'string' && e.name.length > 0) return e.name;
    const ctor = (err as { constructor?: { name?: unknown } }).constructor;
    if (ctor !== undefined && typeof ctor.name === 'string' && ctor.name.length > 0 && ctor.name !== 'Object') return ctor.name;
  }
  return ERROR_TYPE_VALUE_OTHER;
}

/**
 * Marks a span failed by `err`: status ERROR with the error's message, an
 * `exception` event, `error.type` and `error_type` (the SDK's error class).
 * Does not end the span. Never throws.
 */
export function failSpan(span: Span, err: unknown): void {
  try {
    const message = err instanceof Error ? err.message : typeof err === 'string' ? err : String(err);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    if (err instanceof Error || (err !== null && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string')) {
      span.recordException(err as Error);
    } else {
      span.recordException(message);
    }
    span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(err));
    span.setAttribute(ATTR_ERROR_CLASS, classifyError(err));
  } catch {
    // a broken span implementation must not hide the callback's error
  }
}

/** Runs `fn(span, set)` with `ctx` active; see the module comment. */
export async function runInSpan<T, A>(span: Span, ctx: Context, fn: SpanCallback<T, A>, set: SetAttrs<A>): Promise<T> {
  try {
    return await contextApi.with(ctx, fn, undefined, span, set);
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Adds `attrs` built by `fill` to the span (one small object per call). */
export function setWith<A>(span: Span, fill: (out: Attributes, a: A) => void, a: A): void {
  if (a === null || a === undefined) return;
  const out: Attributes = {};
  fill(out, a);
  span.setAttributes(out);
}

/** A finite number from a number or a numeric string (Redis hashes hold strings); undefined otherwise. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.length > 0 && v.length < 32) {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * The reliability chain, as small layers over one signature (the
 * OpenTelemetry Collector's exporterhelper idea):
 *
 *   breaker( retry( timeout( post ) ) )
 *
 * - timeout: one request may take timeoutMs, then it is aborted;
 * - retry: exponential backoff with full jitter (cockatiel's
 *   ExponentialBackoff) within maxElapsedMs; a Retry-After (429/503) is the
 *   delay instead; permanent failures are never retried; it gives up at
 *   once when the next attempt would start past the budget. (Own loop rather
 *   than cockatiel's RetryPolicy: that one's delay cannot be aborted at a
 *   shutdown deadline, and it knows no Retry-After or elapsed budget.)
 * - breaker: cockatiel's CircuitBreakerPolicy (closed/open/half-open) opens
 *   after `failures` consecutive failed retry cycles; while open it fails
 *   fast with BrokenCircuitError, which the pipeline turns into spooling.
 *   Throttling and permanent failures do not count: the server is up.
 */
import {
  BrokenCircuitError, CircuitState, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, fullJitterGenerator,
  handleWhen, type CircuitBreakerPolicy, type IBackoff,
} from 'cockatiel';
import type { Batch } from './batch.js';
import { isAbort, isBreakerFailure, isPermanent, RetriesExhaustedError, ThrottleError, TransientError } from './errors.js';
import type { SendResult } from './http.js';
import type { ResolvedConfig } from './options.js';

export type Send = (batch: Batch, signal: AbortSignal) => Promise<SendResult>;

export function withTimeout(next: Send, timeoutMs: number): Send {
  return async (batch, signal) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await next(batch, AbortSignal.any([signal, timeout]));
    } catch (e) {
      if (timeout.aborted && !signal.aborted) throw new TransientError(`request timed out after ${timeoutMs} ms`, { cause: e });
      throw e;
    }
  };
}

export interface RetryOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs: number;
}

/**
 * Resolves after ms, or rejects with the signal's reason when it aborts
 * first. The timer is unref'd: the exporter never keeps a process alive by
 * itself (flush/close hold the loop open while they run).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const t = setTimeout(done, ms);
    t.unref();
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function retryDelayOf(e: unknown): number | undefined {
  if (e instanceof ThrottleError) return e.retryAfterMs;
  if (e instanceof TransientError || e instanceof RetriesExhaustedError) return e.retryAfterMs;
  return undefined;
}

export function withRetry(next: Send, o: RetryOptions, onRetry: (batch: Batch, error: Error) => void): Send {
  const factory = new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: o.initialDelayMs, maxDelay: o.maxDelayMs });
  return async (batch, signal) => {
    const start = Date.now();
    let backoff: IBackoff<unknown> | undefined;
    for (;;) {
      try {
        return await next(batch, signal);
      } catch (e) {
        if (isPermanent(e) || signal.aborted || isAbort(e)) throw e;
        backoff = backoff ? backoff.next(undefined) : factory.next();
        const delay = retryDelayOf(e) ?? backoff.duration;
        if (Date.now() + delay - start > o.maxElapsedMs) throw new RetriesExhaustedError(e as Error, retryDelayOf(e));
        onRetry(batch, e as Error);
        await sleep(delay, signal);
      }
    }
  };
}

export function createBreaker(c: ResolvedConfig['breaker']): CircuitBreakerPolicy {
  return circuitBreaker(handleWhen(isBreakerFailure), {
    halfOpenAfter: c.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(c.failures),
  });
}

export function withBreaker(next: Send, breaker: CircuitBreakerPolicy): Send {
  return (batch, signal) => breaker.execute(() => next(batch, signal), signal);
}

export function isBrokenCircuit(e: unknown): boolean {
  return e instanceof BrokenCircuitError;
}

/** 0 closed, 1 open, 2 half-open (the index into BREAKER_STATES). */
export function breakerCode(b: CircuitBreakerPolicy): number {
  switch (b.state) {
    case CircuitState.Open: case CircuitState.Isolated: return 1;
    case CircuitState.HalfOpen: return 2;
    default: return 0;
  }
}

/** The whole chain for one endpoint. */
export function buildChain(post: Send, c: ResolvedConfig, breaker: CircuitBreakerPolicy, onRetry: (batch: Batch, e: Error) => void): Send {
  return withBreaker(withRetry(withTimeout(post, c.timeoutMs), c.retry, onRetry), breaker);
}

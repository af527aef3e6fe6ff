/**
 * Send outcomes as errors, classified the exporterhelper way:
 * - PermanentError (from @jobscope/core): retrying cannot help (400/413/415):
 *   drop the batch and count it;
 * - ThrottleError: the server asked to slow down (429), with its delay;
 *   retried, and does not count as a breaker failure (the server is up);
 * - TransientError: anything else (5xx, network, timeout): retried, counts
 *   toward opening the breaker; may carry a Retry-After too (503).
 */
import { JobscopeError, PermanentError } from '@jobscope/core';

export { PermanentError };

export class ThrottleError extends JobscopeError {
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super('JS_OVERLOADED', message, { retryAfter: Math.ceil(retryAfterMs / 1000) });
    this.name = 'ThrottleError';
    this.retryAfterMs = retryAfterMs;
  }
}

export class TransientError extends JobscopeError {
  readonly retryAfterMs: number | undefined;
  readonly httpStatus: number | undefined;
  constructor(message: string, opts: { cause?: unknown; retryAfterMs?: number; status?: number } = {}) {
    super('JS_UNAVAILABLE', message, { cause: opts.cause });
    this.name = 'TransientError';
    this.retryAfterMs = opts.retryAfterMs;
    this.httpStatus = opts.status;
  }
}

/** The retry budget (max elapsed time) ran out; `cause` is the last failure. */
export class RetriesExhaustedError extends JobscopeError {
  readonly retryAfterMs: number | undefined;
  constructor(cause: Error, retryAfterMs: number | undefined) {
    super('JS_UNAVAILABLE', `gave up retrying: ${cause.message}`, { cause });
    this.name = 'RetriesExhaustedError';
    this.retryAfterMs = retryAfterMs;
  }
}

export function isPermanent(e: unknown): boolean {
  return e instanceof PermanentError;
}

/** Failures that count toward opening the circuit breaker: the path is down, not the data bad nor the server busy. */
export function isBreakerFailure(e: unknown): boolean {
  if (e instanceof PermanentError || e instanceof ThrottleError) return false;
  if (e instanceof RetriesExhaustedError) return !(e.cause instanceof ThrottleError);
  return !isAbort(e);
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e as NodeJS.ErrnoException).code === 'ABORT_ERR');
}

export function configError(message: string): JobscopeError {
  return new JobscopeError('JS_CONFIG', `exporter: ${message}`);
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * What the tail does when next() rejects a batch. JS_OVERLOADED and
 * JS_UNAVAILABLE are push-back from a full buffer: wait retryAfter seconds
 * (default 1 s, at most 30 s) and offer the same batch again. A
 * PermanentError cannot be fixed by retrying: the batch is dropped (counted).
 * Anything else is a failure: counted, the same batch retried after 1 s.
 */
import { PermanentError } from '@jobscope/core';

export type Failure =
  | { kind: 'backpressure'; waitMs: number }
  | { kind: 'error'; waitMs: number }
  | { kind: 'drop' };

const DEFAULT_RETRY_AFTER_S = 1;
const MAX_RETRY_AFTER_S = 30;
/** Floor of a push-back wait, so that retryAfter 0 does not spin. */
const MIN_RETRY_MS = 10;
const ERROR_RETRY_MS = 1000;

/** Wait before offering a pushed-back batch again, from the error's retryAfter (seconds). */
export function retryAfterMs(retryAfter: unknown): number {
  const s = typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0
    ? Math.min(retryAfter, MAX_RETRY_AFTER_S)
    : DEFAULT_RETRY_AFTER_S;
  return Math.max(MIN_RETRY_MS, Math.round(s * 1000));
}

export function classifyFailure(err: unknown): Failure {
  if (err instanceof PermanentError) return { kind: 'drop' };
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'JS_OVERLOADED' || code === 'JS_UNAVAILABLE') {
    return { kind: 'backpressure', waitMs: retryAfterMs((err as { retryAfter?: unknown }).retryAfter) };
  }
  return { kind: 'error', waitMs: ERROR_RETRY_MS };
}

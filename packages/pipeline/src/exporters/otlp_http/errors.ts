/**
 * Send outcomes as errors, so the delivery loop has three cases only:
 * - PermanentError (from @jobscope/core): the destination refused the batch
 *   for good (400/413/415); it is dropped and acknowledged;
 * - RetryableSendError: anything else that failed (other statuses, network
 *   errors, timeouts); retried forever, after retryAfterMs when the server
 *   said so (429/503 with Retry-After), else after an exponential backoff;
 * - an abort (close() past its deadline): not a failure of the destination,
 *   the batch is left unacknowledged for the next start.
 */
import { JobscopeError, PermanentError } from '@jobscope/core';

export { PermanentError };

export class RetryableSendError extends JobscopeError {
  /** The server's Retry-After in ms (429/503 only), capped. */
  readonly retryAfterMs: number | undefined;
  /** HTTP status, undefined for network errors and timeouts. */
  readonly httpStatus: number | undefined;
  constructor(message: string, opts: { cause?: unknown; retryAfterMs?: number; status?: number } = {}) {
    super('JS_UNAVAILABLE', message, { cause: opts.cause });
    this.name = 'RetryableSendError';
    this.retryAfterMs = opts.retryAfterMs;
    this.httpStatus = opts.status;
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e as NodeJS.ErrnoException).code === 'ABORT_ERR');
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

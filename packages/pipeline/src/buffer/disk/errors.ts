/**
 * Typed errors of the disk log. All are JobscopeErrors with a stable code so
 * callers can map them to a policy (429 + retry, drop and count, ...).
 */
import { JobscopeError } from '@jobscope/core';

/** The append would push the log past `maxBytes` (onFull: 'reject'). */
export class DiskLogFullError extends JobscopeError {
  readonly maxBytes: number;
  readonly requestedBytes: number;
  constructor(maxBytes: number, requestedBytes: number) {
    super('JS_OVERLOADED', `disk log full: ${requestedBytes} more bytes would exceed maxBytes=${maxBytes}`);
    this.name = 'DiskLogFullError';
    this.maxBytes = maxBytes;
    this.requestedBytes = requestedBytes;
  }
}

/** The log was closed (or failed) and no longer accepts the operation. */
export class DiskLogClosedError extends JobscopeError {
  constructor(message = 'disk log is closed', opts: { cause?: unknown } = {}) {
    super('JS_UNAVAILABLE', message, opts);
    this.name = 'DiskLogClosedError';
  }
}

/** A single payload cannot fit in one segment; retrying cannot help. */
export class DiskLogRecordTooLargeError extends JobscopeError {
  constructor(size: number, max: number) {
    super('JS_PAYLOAD_TOO_LARGE', `record of ${size} bytes exceeds the maximum of ${max} bytes`);
    this.name = 'DiskLogRecordTooLargeError';
  }
}

/** Wraps an I/O failure (EIO, ENOSPC, ...) with the operation that failed. */
export function storageError(what: string, cause: unknown): JobscopeError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new JobscopeError('JS_STORAGE', `disk log: ${what}: ${msg}`, { cause });
}

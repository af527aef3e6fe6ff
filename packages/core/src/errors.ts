/**
 * Stable error codes (prefix JS_), one place, listed in docs/errors.md.
 * Every error the project raises on purpose is a JobscopeError with a code,
 * a message and, for HTTP-facing ones, a status.
 */
export const ERROR_CODES = {
  JS_BAD_REQUEST: 400,
  JS_UNAUTHORIZED: 401,
  JS_NOT_FOUND: 404,
  JS_PAYLOAD_TOO_LARGE: 413,
  JS_UNSUPPORTED_MEDIA_TYPE: 415,
  JS_OVERLOADED: 429,
  JS_UNAVAILABLE: 503,
  JS_QUERY_SYNTAX: 400,
  JS_CONFIG: 500,
  JS_STORAGE: 500,
  JS_INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class JobscopeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds a client should wait before retrying (429/503). */
  readonly retryAfter?: number;
  constructor(code: ErrorCode, message: string, opts: { cause?: unknown; retryAfter?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'JobscopeError';
    this.code = code;
    this.status = ERROR_CODES[code];
    if (opts.retryAfter !== undefined) this.retryAfter = opts.retryAfter;
  }
}

/** A failure that retrying cannot fix (malformed data): drop and count, never retry. */
export class PermanentError extends JobscopeError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('JS_BAD_REQUEST', message, opts);
    this.name = 'PermanentError';
  }
}

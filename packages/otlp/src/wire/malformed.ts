import { PermanentError } from '@jobscope/core';

/**
 * Internal error for malformed input. Decoders throw it where they see the
 * problem and each enclosing level prepends its path segment on the way out
 * (only on the error path: nothing is built while decoding goes well);
 * decodeRequest turns it into a PermanentError.
 */
export class Malformed extends Error {
  readonly path: string[] = [];
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'Malformed';
  }
}

/** Rethrow e with seg prepended to its path (if it is ours). */
export function rethrowAt(e: unknown, seg: string): never {
  if (e instanceof Malformed) e.path.unshift(seg);
  throw e;
}

/** Turns anything thrown while decoding into a PermanentError with a precise message. */
export function toPermanentError(e: unknown, what: string): PermanentError {
  if (e instanceof PermanentError) return e;
  if (e instanceof Malformed) {
    const where = e.path.length > 0 ? `${e.path.join('.').replace(/\.\[/g, '[')}: ` : '';
    return new PermanentError(`${what}: ${where}${e.detail}`);
  }
  // A stack overflow or an engine limit on hostile input: still a bad request.
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new PermanentError(`${what}: cannot decode (${msg})`, { cause: e });
}

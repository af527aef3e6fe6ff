import { JobscopeError } from '@jobscope/core';

/**
 * Every error the search language raises: `JS_QUERY_SYNTAX` (HTTP 400), with
 * the 0-based character position and what was expected, e.g.
 * `unexpected ')' at 14, expected a term`.
 */
export function syntaxError(message: string): JobscopeError {
  return new JobscopeError('JS_QUERY_SYNTAX', message);
}

/** A short, quoted rendering of user text for error messages. */
export function quoteForMessage(text: string): string {
  const shown = text.length > 24 ? `${text.slice(0, 24)}…` : text;
  return `'${shown}'`;
}

/**
 * classifyError: an ErrorType from the error itself (code, HTTP status, name,
 * message), by the ordered table in rules.ts. Never throws.
 *
 * Evidence is gathered from the error and what it wraps: `cause` chains
 * (undici's `fetch failed` hides ECONNREFUSED there), AggregateError
 * `errors`, an API client's nested `error` object (OpenAI-style
 * `{error: {type, code, message}}`), and `response.status` (axios, got).
 */
import type { ErrorType } from '@jobscope/core';
import { RULES } from './rules.js';

interface Evidence {
  codes: string[];
  statuses: number[];
  names: string[];
  messages: string[];
}

/** How deep and how wide to look into wrapped errors (hostile inputs stay bounded). */
const MAX_NODES = 16;

export function classifyError(err: unknown): ErrorType {
  try {
    return decide(gather(err));
  } catch {
    return 'unknown';
  }
}

/** Whether a job that failed with this error type is worth retrying. */
const RETRYABLE: Readonly<Record<ErrorType, boolean>> = {
  timeout: true,
  network: true,
  rate_limit: true,
  // GPU memory is shared with other jobs and cached models: a retry (after the
  // connector frees memory, or on another worker) often succeeds.
  memory: true,
  // A missing or corrupt model, or a bad request, fails again the same way.
  model: false,
  validation: false,
  // Unknown causes get the queue's bounded retries (max_retries) by default.
  unknown: true,
};

export function retryable(errorType: ErrorType | string): boolean {
  return RETRYABLE[errorType as ErrorType] ?? true;
}

function decide(ev: Evidence): ErrorType {
  for (const rule of RULES) {
    if ('codes' in rule) {
      if (ev.codes.some((c) => rule.codes.includes(c))) return rule.type;
    } else if ('statuses' in rule) {
      if (ev.statuses.some((s) => rule.statuses.includes(s))) return rule.type;
    } else if ('names' in rule) {
      if (ev.names.some((n) => rule.names.includes(n))) return rule.type;
    } else if (ev.messages.some((m) => rule.message.test(m))) {
      return rule.type;
    }
  }
  return 'unknown';
}

function gather(err: unknown): Evidence {
  const ev: Evidence = { codes: [], statuses: [], names: [], messages: [] };
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < MAX_NODES) {
    const node = queue.shift();
    if (node === null || node === undefined || seen.has(node)) continue;
    seen.add(node);
    if (typeof node === 'string') ev.messages.push(node);
    else if (typeof node === 'number') addStatus(ev, node);
    else if (typeof node === 'object' || typeof node === 'function') readObject(node as Record<string, unknown>, ev, queue);
  }
  // Wrapped errors often only say it in words: "ComfyUI returned HTTP 503".
  for (const m of ev.messages) {
    const match = STATUS_IN_TEXT.exec(m);
    if (match) addStatus(ev, match[1]);
  }
  return ev;
}

const STATUS_IN_TEXT = /\b(?:status(?: code)?|HTTP(?:\/\d(?:\.\d)?)?)[: ]+(\d{3})\b/i;

function readObject(o: Record<string, unknown>, ev: Evidence, queue: unknown[]): void {
  const name = safeGet(o, 'name');
  if (typeof name === 'string' && name !== 'Error') ev.names.push(name);
  const message = safeGet(o, 'message');
  if (typeof message === 'string') ev.messages.push(message);
  for (const key of ['code', 'type', 'errno'] as const) {
    const v = safeGet(o, key);
    if (typeof v === 'string') ev.codes.push(v);
    else if (key === 'code' && typeof v === 'number') addStatus(ev, v); // some clients put the HTTP status in `code`
  }
  for (const key of ['status', 'statusCode', 'httpStatusCode'] as const) addStatus(ev, safeGet(o, key));
  const response = safeGet(o, 'response');
  if (response && typeof response === 'object') {
    addStatus(ev, safeGet(response as Record<string, unknown>, 'status'));
    addStatus(ev, safeGet(response as Record<string, unknown>, 'statusCode'));
    const data = safeGet(response as Record<string, unknown>, 'data');
    if (data && typeof data === 'object') queue.push(safeGet(data as Record<string, unknown>, 'error') ?? data);
    else if (typeof data === 'string') queue.push(data);
  }
  const meta = safeGet(o, '$metadata'); // AWS SDK v3
  if (meta && typeof meta === 'object') addStatus(ev, safeGet(meta as Record<string, unknown>, 'httpStatusCode'));
  // A child process killed by the OOM killer shows up as SIGKILL / exit code 137.
  const signal = safeGet(o, 'signal');
  if (typeof signal === 'string') ev.messages.push(`signal ${signal}`);
  const exitCode = safeGet(o, 'exitCode');
  if (typeof exitCode === 'number') ev.messages.push(`exit code ${exitCode}`);
  queue.push(safeGet(o, 'cause'));
  const nested = safeGet(o, 'error');
  if (nested !== o) queue.push(nested);
  const errors = safeGet(o, 'errors');
  if (Array.isArray(errors)) queue.push(...errors.slice(0, 4));
}

function addStatus(ev: Evidence, v: unknown): void {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599) ev.statuses.push(n);
}

/** Getters and proxies may throw; evidence is best-effort. */
function safeGet(o: Record<string, unknown>, key: string): unknown {
  try {
    return o[key];
  } catch {
    return undefined;
  }
}

/** The reliability layers with a scripted transport: retry, Retry-After, budget, permanent errors, the breaker. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Batch } from './batch.js';
import { PermanentError, RetriesExhaustedError, ThrottleError, TransientError } from './errors.js';
import { parseRetryAfter } from './http.js';
import { breakerCode, createBreaker, isBrokenCircuit, withBreaker, withRetry, withTimeout, type Send } from './layers.js';

// The layers' timers are unref'd (the exporter never keeps a process alive): hold the loop open for the tests.
let hold: NodeJS.Timeout;
before(() => { hold = setInterval(() => {}, 1000); });
after(() => clearInterval(hold));

const batch: Batch = { no: 1, id: 's-1', records: 1, bytes: 10, payload: Buffer.alloc(1), gzip: false };
const never = new AbortController().signal;
const fast = { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 1000 };

/** A transport that fails with the scripted errors, then succeeds; records the time of each call. */
function scripted(errors: Error[]): Send & { calls: number[] } {
  const calls: number[] = [];
  const send: Send = async () => {
    calls.push(Date.now());
    const e = errors[calls.length - 1];
    if (e) throw e;
    return { rejected: 0 };
  };
  return Object.assign(send, { calls });
}

test('transient failures are retried with backoff until success; each retry is reported', async () => {
  const t = scripted([new TransientError('500'), new TransientError('503'), new TransientError('reset')]);
  let retries = 0;
  await withRetry(t, fast, () => retries++)(batch, never);
  assert.equal(t.calls.length, 4);
  assert.equal(retries, 3);
});

test('Retry-After of a 429 is the delay before the next attempt', async () => {
  const t = scripted([new ThrottleError('429', 300)]);
  await withRetry(t, fast, () => {})(batch, never);
  assert.ok(t.calls[1] - t.calls[0] >= 295, `waited ${t.calls[1] - t.calls[0]} ms`);
});

test('permanent failures are never retried', async () => {
  const t = scripted([new PermanentError('400')]);
  await assert.rejects(withRetry(t, fast, () => {})(batch, never), PermanentError);
  assert.equal(t.calls.length, 1);
});

test('the retry budget ends a cycle at once when the next attempt would pass it', async () => {
  const t = scripted(Array.from({ length: 100 }, () => new ThrottleError('429', 400)));
  const start = Date.now();
  await assert.rejects(withRetry(t, { ...fast, maxElapsedMs: 1000 }, () => {})(batch, never), (e: Error) => {
    assert.ok(e instanceof RetriesExhaustedError);
    assert.equal(e.retryAfterMs, 400, 'the server\'s delay is kept for the caller');
    return true;
  });
  assert.equal(t.calls.length, 3);
  assert.ok(Date.now() - start < 1000);
});

test('an abort (shutdown deadline) interrupts a backoff wait', async () => {
  const t = scripted(Array.from({ length: 10 }, () => new ThrottleError('429', 10_000)));
  const ac = new AbortController();
  setTimeout(() => ac.abort(new Error('deadline')), 50);
  const start = Date.now();
  await assert.rejects(withRetry(t, { ...fast, maxElapsedMs: 60_000 }, () => {})(batch, ac.signal), /deadline/);
  assert.ok(Date.now() - start < 1000);
});

test('a request that hangs is cut by the timeout and becomes a transient failure', async () => {
  const hang: Send = (_b, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  await assert.rejects(withTimeout(hang, 50)(batch, never), (e: Error) => e instanceof TransientError && /timed out after 50 ms/.test(e.message));
});

test('the breaker opens after consecutive failed cycles, fails fast, half-opens and closes on success', async () => {
  const breaker = createBreaker({ failures: 2, halfOpenAfterMs: 100 });
  let fail = true;
  let calls = 0;
  const send = withBreaker(async () => {
    calls++;
    if (fail) throw new RetriesExhaustedError(new TransientError('down'), undefined);
    return { rejected: 0 };
  }, breaker);
  await assert.rejects(send(batch, never));
  assert.equal(breakerCode(breaker), 0);
  await assert.rejects(send(batch, never));
  assert.equal(breakerCode(breaker), 1, 'open');
  await assert.rejects(send(batch, never), (e) => isBrokenCircuit(e));
  assert.equal(calls, 2, 'no call while open');
  await new Promise((r) => setTimeout(r, 120));
  fail = false;
  await send(batch, never);
  assert.equal(breakerCode(breaker), 0, 'closed after a successful half-open probe');
});

test('throttling and permanent errors do not open the breaker', async () => {
  const breaker = createBreaker({ failures: 1, halfOpenAfterMs: 1000 });
  for (const e of [new ThrottleError('429', 10), new PermanentError('400'), new RetriesExhaustedError(new ThrottleError('429', 5), 5)]) {
    await assert.rejects(withBreaker(async () => { throw e; }, breaker)(batch, never));
  }
  assert.equal(breakerCode(breaker), 0);
});

test('Retry-After: seconds or an HTTP date', () => {
  assert.equal(parseRetryAfter('2'), 2000);
  assert.ok((parseRetryAfter(new Date(Date.now() + 3000).toUTCString()) ?? 0) > 1000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

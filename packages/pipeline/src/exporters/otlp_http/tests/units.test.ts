import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeResponse, encodeStatus, RPC_CODES } from '@jobscope/otlp';
import { Backoff } from '../backoff.js';
import { batchId } from '../batch.js';
import { DEFAULT_OTLP_HTTP_EXPORTER_CONFIG, resolveOtlpHttpExporterConfig } from '../config.js';
import { PermanentError, RetryableSendError } from '../errors.js';
import { outcome, parseRetryAfter, partialSuccessOf, statusMessageOf } from '../response.js';

test('Retry-After: seconds or an HTTP date, capped at 10 minutes', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter('1.5', now), 1500);
  assert.equal(parseRetryAfter('Mon, 01 Jan 2024 00:00:10 GMT', now), 10_000);
  assert.equal(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', now), 0);
  assert.equal(parseRetryAfter('86400', now), 600_000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('partial success decoded from protobuf and JSON responses', () => {
  const ps = { rejected: 7, errorMessage: 'bad spans' };
  assert.deepEqual(partialSuccessOf('traces', Buffer.from(encodeResponse('traces', ps, 'protobuf')), false), ps);
  assert.deepEqual(partialSuccessOf('metrics', Buffer.from(encodeResponse('metrics', ps, 'json')), true), ps);
  assert.deepEqual(partialSuccessOf('logs', Buffer.from(encodeResponse('logs', undefined, 'protobuf')), false), { rejected: 0, errorMessage: '' });
  assert.deepEqual(partialSuccessOf('logs', Buffer.from([0x0a, 0x05, 0x08]), false), { rejected: 0, errorMessage: '' }); // truncated
  assert.deepEqual(partialSuccessOf('logs', Buffer.from('{nope'), true), { rejected: 0, errorMessage: '' });
});

test('status classes: 2xx ok, 400/413/415 permanent, 429/503 keep Retry-After, the rest retryable', () => {
  assert.deepEqual(outcome('logs', 200, {}, Buffer.alloc(0)), { rejected: 0, errorMessage: '' });
  const body = Buffer.from(encodeStatus(RPC_CODES.INVALID_ARGUMENT, 'broken body'));
  assert.equal(statusMessageOf(body, false), 'broken body');
  for (const status of [400, 413, 415]) {
    assert.throws(() => outcome('logs', status, { 'content-type': 'application/x-protobuf' }, body), (e: unknown) => e instanceof PermanentError && /broken body/.test(e.message));
  }
  const retryAfter = (status: number, h: Record<string, string>): number | undefined => {
    try {
      outcome('logs', status, h, Buffer.alloc(0));
    } catch (e) {
      assert.ok(e instanceof RetryableSendError);
      assert.equal(e.httpStatus, status);
      return e.retryAfterMs;
    }
    assert.fail('should throw');
  };
  assert.equal(retryAfter(503, { 'retry-after': '2' }), 2000);
  assert.equal(retryAfter(429, { 'retry-after': '1' }), 1000);
  assert.equal(retryAfter(429, {}), undefined);
  assert.equal(retryAfter(500, { 'retry-after': '2' }), undefined);
  assert.equal(retryAfter(401, {}), undefined);
  assert.equal(retryAfter(404, {}), undefined);
});

test('config: defaults, required fields, validation', () => {
  const c = resolveOtlpHttpExporterConfig({ name: 'server', endpoint: 'http://127.0.0.1:4318/', instanceId: 'i-1' });
  assert.deepEqual({ ...c, name: undefined, endpoint: undefined, instanceId: undefined }, {
    ...DEFAULT_OTLP_HTTP_EXPORTER_CONFIG, name: undefined, endpoint: undefined, instanceId: undefined,
  });
  assert.equal(c.maxBatchBytes, 4 * 1024 * 1024);
  assert.equal(c.batchIdHeader, 'x-jobscope-batch-id');
  assert.deepEqual(c.retry, { initialDelayMs: 200, maxDelayMs: 30_000 });
  const ok = { name: 'server', endpoint: 'https://h/base', instanceId: 'i' };
  assert.equal(resolveOtlpHttpExporterConfig({ ...ok, batchIdHeader: null }).batchIdHeader, null);
  assert.equal(resolveOtlpHttpExporterConfig({ ...ok, batchIdHeader: undefined, lingerMs: undefined }).lingerMs, 200);
  assert.equal(resolveOtlpHttpExporterConfig({ ...ok, batchIdHeader: undefined }).batchIdHeader, 'x-jobscope-batch-id');
  assert.equal(resolveOtlpHttpExporterConfig({ ...ok, retry: { maxDelayMs: 1000 } }).retry.initialDelayMs, 200);
  const bad: [object, RegExp][] = [
    [{ instanceId: '' }, /instanceId/],
    [{ instanceId: 'has space' }, /instanceId/],
    [{ name: 'a/b' }, /name/],
    [{ endpoint: 'not a url' }, /not a URL/],
    [{ endpoint: 'http://h/?q=1' }, /query/],
    [{ headers: { 'content-type': 'text/plain' } }, /set by the exporter/],
    [{ headers: { 'x-a': 'line\nbreak' } }, /single-line/],
    [{ batchIdHeader: 'X-Batch' }, /lowercase/],
    [{ maxBatchBytes: 0 }, /maxBatchBytes/],
    [{ maxBatchRecords: 1.5 }, /maxBatchRecords/],
    [{ lingerMs: -1 }, /lingerMs/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ compression: 'zstd' }, /compression/],
    [{ retry: { initialDelayMs: 500, maxDelayMs: 100 } }, /maxDelayMs/],
    [{ instanceId: 'i'.repeat(64), name: 'n'.repeat(120) }, /too long/],
  ];
  for (const [o, re] of bad) {
    assert.throws(() => resolveOtlpHttpExporterConfig({ ...ok, ...o } as never), re, JSON.stringify(o));
  }
});

test('batch ids are a function of the range; backoff is full jitter under a growing cap', () => {
  assert.equal(batchId('inst', 'server', 5, 9), 'inst-server-5-9');
  const b = new Backoff({ initialDelayMs: 100, maxDelayMs: 1000 });
  const caps = [100, 200, 400, 800, 1000, 1000, 1000];
  for (const cap of caps) {
    const d = b.next();
    assert.ok(d >= 0 && d < cap, `${d} < ${cap}`);
  }
  b.reset();
  assert.ok(b.next() < 100);
});

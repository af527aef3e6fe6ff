/** Options, defaults, the OTEL_* variables and validation messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveOptions } from './options.js';
import { createExporter } from './index.js';

test('endpoint: option > OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (as is) > OTEL_EXPORTER_OTLP_ENDPOINT + /v1/logs > default', () => {
  assert.equal(resolveOptions({ env: {} }).endpoint, 'http://localhost:4318/v1/logs');
  assert.equal(resolveOptions({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://agent:4318/' } }).endpoint, 'http://agent:4318/v1/logs');
  assert.equal(resolveOptions({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://agent:4318', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://x/custom' } }).endpoint, 'https://x/custom');
  assert.equal(resolveOptions({ endpoint: 'http://h:1/v1/logs', env: { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://x/custom' } }).endpoint, 'http://h:1/v1/logs');
});

test('headers: k=v lists, URL-decoded, logs-specific over generic, options over both', () => {
  const c = resolveOptions({
    env: { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc, x-a=1', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-a=2' },
    headers: { 'X-B': 'b' },
  });
  assert.deepEqual(c.headers, { authorization: 'Bearer abc', 'x-a': '2', 'x-b': 'b' });
});

test('resource: defaults < OTEL_RESOURCE_ATTRIBUTES < OTEL_SERVICE_NAME < options', () => {
  const env = { OTEL_RESOURCE_ATTRIBUTES: 'service.name=a,deployment.environment=prod%20eu', OTEL_SERVICE_NAME: 'b' };
  const c = resolveOptions({ env });
  assert.equal(c.resource['service.name'], 'b');
  assert.equal(c.resource['deployment.environment'], 'prod eu');
  assert.equal(c.resource['telemetry.sdk.language'], 'nodejs');
  assert.equal(resolveOptions({ env, resource: { 'service.name': 'c', machine_id: 'm1' } }).resource['service.name'], 'c');
  assert.equal(resolveOptions({ env, resource: { 'service.name': 'c' }, serviceName: 'd' }).resource['service.name'], 'd');
});

test('invalid options fail at creation with precise messages', () => {
  const cases: [Parameters<typeof createExporter>[0], RegExp][] = [
    [{ endpoint: 'localhost:4318' }, /endpoint must use http or https/],
    [{ endpoint: 'not a url' }, /endpoint must be an absolute http\(s\) URL/],
    [{ env: { OTEL_EXPORTER_OTLP_ENDPOINT: '::' } }, /OTEL_EXPORTER_OTLP_\(LOGS_\)ENDPOINT must be an absolute/],
    [{ env: { OTEL_EXPORTER_OTLP_HEADERS: 'novalue' } }, /OTEL_EXPORTER_OTLP_HEADERS: expected key=value, got 'novalue'/],
    [{ maxBatchRecords: 0 }, /maxBatchRecords must be an integer in \[1, 100000\], got 0/],
    [{ timeoutMs: 1.5 }, /timeoutMs must be an integer/],
    [{ mode: 'thread' as 'worker' }, /mode must be 'worker' or 'inline'/],
    [{ maxSpoolBytes: 65536, maxBatchBytes: 65536 }, /maxSpoolBytes \(65536\) must be at least 4 × maxBatchBytes/],
    [{ retry: { initialDelayMs: 500, maxDelayMs: 100 } }, /retry.maxDelayMs \(100\) must be >= retry.initialDelayMs/],
    [{ resource: { a: {} as unknown as string } }, /resource.a must be a string, number or boolean/],
    [{ spoolDir: '' }, /spoolDir must be a non-empty path or false/],
    [{ encoder: 'fast' as 'official' }, /encoder must be 'jobscope' or 'official', got fast/],
  ];
  for (const [o, re] of cases) assert.throws(() => createExporter(o), (e: Error) => re.test(e.message) && (e as { code?: string }).code === 'JS_CONFIG', String(re));
});

test('the default spool directory is per service, with slots', () => {
  const c = resolveOptions({ serviceName: 'comfy ui/worker', env: {} });
  assert.match(c.spoolDir ?? '', /jobscope-spool\/comfy_ui_worker$/);
  assert.equal(c.spoolSlots, true);
  assert.equal(resolveOptions({ spoolDir: false, env: {} }).spoolDir, null);
});

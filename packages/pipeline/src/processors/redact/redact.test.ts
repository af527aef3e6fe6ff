import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import type { AnyValue, Attributes, ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, LogRecord, Span } from '@jobscope/otlp';
import type { Telemetry } from '../../telemetry.js';
import { createRedactProcessor, type RedactConfig } from './index.js';

const rec = (over: Partial<LogRecord> = {}): LogRecord => ({
  timeUnixNano: '1', observedTimeUnixNano: '0', severityNumber: 9, severityText: 'INFO', body: '',
  attributes: {}, droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName: '', ...over,
});
const scope = { name: 's', version: '', attributes: {}, droppedAttributesCount: 0 };
const logs = (records: LogRecord[], resource: Attributes = {}): Telemetry => ({
  signal: 'logs',
  request: { resourceLogs: [{ resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: records }] }] },
});

/** The body after redaction with a fresh processor, and its stats. */
function scrub(body: AnyValue, config: Partial<RedactConfig> = {}) {
  const p = createRedactProcessor(config);
  const r = rec({ body });
  p.process(logs([r]));
  return { body: r.body, stats: p.stats() };
}

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const OPENAI = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz';
const LEGACY = 'sk-' + 'T3BlbkFJ'.repeat(6);

test('default patterns on realistic log lines', () => {
  const cases: [string, string, string][] = [
    ['bearer_token', 'GET /v1/jobs Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543 200', 'GET /v1/jobs Authorization: Bearer [REDACTED] 200'],
    ['bearer_token', `calling api with header bearer ${JWT}`, 'calling api with header bearer [REDACTED]'],
    ['openai_key', `OpenAI client configured with key ${OPENAI} (org default)`, 'OpenAI client configured with key [REDACTED] (org default)'],
    ['openai_key', `OPENAI_API_KEY=${LEGACY}`, 'OPENAI_API_KEY=[REDACTED]'],
    ['aws_access_key_id', 'boto3: using credentials AKIAIOSFODNN7EXAMPLE from env', 'boto3: using credentials [REDACTED] from env'],
    ['secret_pair', 'POST https://api.example.com/upload?api_key=9d8f7a6b5c4e&file=a.png', 'POST https://api.example.com/upload?api_key=[REDACTED]&file=a.png'],
    ['secret_pair', 'config loaded: apikey: abc123XYZ, region: us-east-1', 'config loaded: apikey: [REDACTED], region: us-east-1'],
    ['secret_pair', 'refresh ok token=tok_live_51Hx9 user=42', 'refresh ok token=[REDACTED] user=42'],
    ['secret_pair', '{"user":"bob","password":"hunter2","ok":true}', '{"user":"bob","password":"[REDACTED]","ok":true}'],
    ['secret_pair', 'redis AUTH failed: x-api-key=abc-123', 'redis AUTH failed: x-api-key=[REDACTED]'],
    ['url_credentials', 'connecting to postgres://worker:s3cr3t!@db.internal:5432/jobs', 'connecting to postgres://[REDACTED]@db.internal:5432/jobs'],
    ['url_credentials', 'fetch https://user:pass@example.com/model.safetensors failed', 'fetch https://[REDACTED]@example.com/model.safetensors failed'],
    ['jwt', `session restored from cookie ${JWT}`, 'session restored from cookie [REDACTED]'],
    ['basic_auth', 'Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [REDACTED]'],
  ];
  for (const [name, input, expected] of cases) {
    const { body, stats } = scrub(input);
    assert.equal(body, expected, name);
    assert.ok((stats.byPattern[name] ?? 0) >= 1, `${name} counted: ${JSON.stringify(stats.byPattern)}`);
  }
});

test('ordinary text is left untouched', () => {
  const lines = [
    'job j-123 completed in 4213 ms on worker w-7 (comfyui, 20 steps, cfg 7.5)',
    'The Bearer authentication scheme is described in RFC 6750; bearer of bad news.',
    'Basic configuration loaded from /etc/jobscope/agent.yaml',
    'using sk-learn compatible estimator sk-learn-compatible-estimator-wrapper',
    'max_tokens: 512, prompt_tokens=10, tokenizer: bpe, token_count: 5',
    'visit https://example.com:8443/docs?page=2#install for details',
    'AKIA is a prefix; the key AKIAshort is not a key',
    'eyJ alone is not a token, nor is eyJabc.def',
    'password reset email sent to user 42',
    '',
  ];
  const p = createRedactProcessor();
  for (const line of lines) {
    const r = rec({ body: line });
    p.process(logs([r]));
    assert.equal(r.body, line);
  }
  assert.deepEqual(p.stats(), { redactions: 0, byPattern: {}, failed: 0 });
});

test('secret-named attribute keys: whole value replaced, case-insensitive, nested, dotted header names', () => {
  const p = createRedactProcessor({ keys: ['x-internal-sig'] });
  const attrs: Attributes = {
    Authorization: 'Basic abc', 'http.request.header.cookie': ['session=abc'], password: 12345, TOKEN: { nested: true },
    'X-Internal-Sig': 'sig', job_id: 'j-1', empty_token: '', token: '',
    request: { headers: { 'set-cookie': 'a=b', accept: 'json' }, list: [{ api_key: 'k' }, 'plain'] },
  };
  const r = rec({ attributes: attrs });
  p.process(logs([r], { secret: 'resource-secret', 'service.name': 'w' }));
  assert.deepEqual(r.attributes, {
    Authorization: '[REDACTED]', 'http.request.header.cookie': '[REDACTED]', password: '[REDACTED]', TOKEN: '[REDACTED]',
    'X-Internal-Sig': '[REDACTED]', job_id: 'j-1', empty_token: '', token: '',
    request: { headers: { 'set-cookie': '[REDACTED]', accept: 'json' }, list: [{ api_key: '[REDACTED]' }, 'plain'] },
  });
  assert.equal(p.stats().byPattern.keys, 8);
});

test('strings nested in map and array bodies, attribute values, and resources', () => {
  const p = createRedactProcessor();
  const r = rec({
    body: { msg: 'calling with Bearer abcdef0123456789', args: ['--token=abc123', 7, null], nested: { url: 'https://u:p@h.example/x' } },
    attributes: { 'http.url': 'https://api.example.com/?apikey=zzz111', count: 3 },
  });
  const t = logs([r], { 'process.command_line': 'worker --password=hunter2' });
  p.process(t);
  assert.deepEqual(r.body, { msg: 'calling with Bearer [REDACTED]', args: ['--token=[REDACTED]', 7, null], nested: { url: 'https://[REDACTED]@h.example/x' } });
  assert.deepEqual(r.attributes, { 'http.url': 'https://api.example.com/?apikey=[REDACTED]', count: 3 });
  assert.equal((t.request as ExportLogsServiceRequest).resourceLogs[0]!.resource.attributes['process.command_line'], 'worker --password=[REDACTED]');
});

test('spans: attributes, events, links and status message; metrics: data points and exemplars', () => {
  const p = createRedactProcessor();
  const span = {
    traceId: '', spanId: '', traceState: '', parentSpanId: '', flags: 0, name: 'POST /v1/chat', kind: 3, startTimeUnixNano: '1', endTimeUnixNano: '2',
    attributes: { 'http.request.header.authorization': ['Bearer x'], 'url.full': 'https://api.openai.com/v1?key=sk-abc' },
    droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
    events: [{ timeUnixNano: '1', name: 'exception', attributes: { 'exception.message': `invalid key ${OPENAI}` }, droppedAttributesCount: 0 }],
    links: [{ traceId: '', spanId: '', traceState: '', flags: 0, droppedAttributesCount: 0, attributes: { note: 'token=abc' } }],
    status: { code: 2, message: 'upstream said: Authorization: Bearer abc.def-123 rejected' },
  } satisfies Span;
  const traces: Telemetry = { signal: 'traces', request: { resourceSpans: [{ resource: { attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans: [span] }] }] } };
  p.process(traces);
  const s = (traces.request as ExportTraceServiceRequest).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
  assert.equal(s.attributes['http.request.header.authorization'], '[REDACTED]');
  assert.equal(s.attributes['url.full'], 'https://api.openai.com/v1?key=sk-abc');
  assert.equal(s.events[0]!.attributes['exception.message'], 'invalid key [REDACTED]');
  assert.equal(s.links[0]!.attributes.note, 'token=[REDACTED]');
  assert.equal(s.status.message, 'upstream said: Authorization: Bearer [REDACTED] rejected');

  const metrics: Telemetry = { signal: 'metrics', request: { resourceMetrics: [{ resource: { attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', scopeMetrics: [{ scope, schemaUrl: '', metrics: [
    { name: 'http.client.duration', description: '', unit: 'ms', metadata: {}, data: { type: 'histogram', aggregationTemporality: 2, dataPoints: [{
      attributes: { 'url.full': 'https://a:b@host/x' }, startTimeUnixNano: '0', timeUnixNano: '1', count: '1', sum: 1, bucketCounts: ['1'], explicitBounds: [],
      exemplars: [{ filteredAttributes: { token: 't' }, timeUnixNano: '1', value: 1, spanId: '', traceId: '' }], flags: 0, min: 1, max: 1,
    }] } },
  ] }] }] } };
  p.process(metrics);
  const m = (metrics.request as ExportMetricsServiceRequest).resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
  assert.ok(m.data.type === 'histogram');
  assert.equal(m.data.dataPoints[0]!.attributes['url.full'], 'https://[REDACTED]@host/x');
  assert.equal(m.data.dataPoints[0]!.exemplars[0]!.filteredAttributes.token, '[REDACTED]');
});

test('user patterns: added to the defaults, $ groups in replacements, custom global replacement', () => {
  const { body, stats } = scrub('card 4111-1111-1111-1111 paid; ssn 123-45-6789; Bearer abcd1234efgh', {
    replacement: '***',
    patterns: [
      { name: 'card', regex: '\\b(\\d{4})-\\d{4}-\\d{4}-(\\d{4})\\b', replacement: '$1-****-****-$2' },
      { name: 'ssn', regex: '\\b\\d{3}-\\d{2}-\\d{4}\\b' },
    ],
  });
  assert.equal(body, 'card 4111-****-****-1111 paid; ssn ***; Bearer ***');
  assert.deepEqual(stats.byPattern, { bearer_token: 1, card: 1, ssn: 1 });
  assert.equal(stats.redactions, 3);
  // useDefaults: false leaves only the user's patterns and keys
  const only = scrub('Bearer abcd1234efgh and secret=x', { useDefaults: false, patterns: [{ name: 'x', regex: 'secret=\\w+', flags: 'i', replacement: 'secret=<$&>' }] });
  assert.equal(only.body, 'Bearer abcd1234efgh and secret=<secret=x>');
  // named groups and empty matches
  const named = scrub('id=42', { useDefaults: false, patterns: [{ name: 'n', regex: 'id=(?<v>\\d+)|z*', replacement: 'id=<$<v>>' }] });
  assert.equal(named.body, 'id=<42>');
  assert.equal(named.stats.redactions, 1);
});

test('invalid config is a JS_CONFIG error naming the pattern', () => {
  const fails = (config: unknown, re: RegExp): void => {
    assert.throws(() => createRedactProcessor(config as Partial<RedactConfig>), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_CONFIG' && re.test(e.message));
  };
  fails({ patterns: [{ name: 'broken', regex: '(unclosed' }] }, /broken.*invalid regex/);
  fails({ patterns: [{ name: 'flags', regex: 'a', flags: 'y' }] }, /flags/);
  fails({ patterns: [{ name: '', regex: 'a' }] }, /name/);
  fails({ patterns: [{ name: 'a', regex: 'a' }, { name: 'a', regex: 'b' }] }, /duplicate/);
  fails({ keys: 'password' }, /keys/);
  fails({ replacement: 5 }, /replacement/);
  fails({ useDefaults: 'no' }, /useDefaults/);
});

test('default patterns stay fast on adversarial input (no catastrophic or quadratic backtracking)', () => {
  const n = 200_000;
  const inputs = [
    'sk-'.repeat(n / 3), 'eyJ-'.repeat(n / 4), 'eyJa.'.repeat(n / 5), 'a'.repeat(n), 'a.'.repeat(n / 2), 'a://'.repeat(n / 4),
    'Bearer '.repeat(n / 7), 'Bearer\t'.repeat(n / 7) + '!', 'token: '.repeat(n / 7), 'token='.repeat(n / 6), 'x:' + ' '.repeat(n),
    'https://' + 'a'.repeat(n), 'https://a:' + 'b'.repeat(n), 'Basic ' + 'A'.repeat(n) + '!', 'AKIA'.repeat(n / 4), '-'.repeat(n),
    'password' + ' '.repeat(n) + 'x', 'sk-' + 'a-'.repeat(n / 2),
  ];
  const p = createRedactProcessor();
  for (const s of inputs) {
    const start = process.hrtime.bigint();
    p.process(logs([rec({ body: s })]));
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(ms < 250, `${JSON.stringify(s.slice(0, 12))}… took ${ms.toFixed(0)} ms`);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import type { Attributes, ExportLogsServiceRequest, LogRecord } from '@jobscope/otlp';
import type { Telemetry } from '../../telemetry.js';
import { runProcessors } from '../processor.js';
import { createFilterProcessor, fnv1a, keepByHash, type FilterConfigInput } from './index.js';

const rec = (over: Partial<LogRecord> = {}): LogRecord => ({
  timeUnixNano: '1', observedTimeUnixNano: '0', severityNumber: 9, severityText: 'INFO', body: 'hello',
  attributes: {}, droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName: '', ...over,
});
const scope = { name: 's', version: '', attributes: {}, droppedAttributesCount: 0 };
const logs = (records: LogRecord[], resource: Attributes = {}): Telemetry => ({
  signal: 'logs',
  request: { resourceLogs: [{ resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: records }] }] },
});
const bodies = (t: Telemetry | null): unknown[] =>
  t === null ? [] : (t.request as ExportLogsServiceRequest).resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => r.body)));
const run = (config: FilterConfigInput, records: LogRecord[], resource: Attributes = {}) => {
  const p = createFilterProcessor(config);
  return { out: bodies(p.process(logs(records, resource))), stats: p.stats() };
};

test('minSeverity drops lower records, keeps records of unknown severity', () => {
  const { out, stats } = run({ minSeverity: 'info' }, [
    rec({ body: 'trace', severityNumber: 1 }), rec({ body: 'debug', severityNumber: 5 }), rec({ body: 'info', severityNumber: 9 }),
    rec({ body: 'error', severityNumber: 17 }), rec({ body: 'unknown', severityNumber: 0, severityText: '' }),
    rec({ body: 'debug-text', severityNumber: 0, severityText: 'DEBUG' }), rec({ body: 'debug-attr', severityNumber: 0, severityText: '', attributes: { level: 'debug' } }),
  ]);
  assert.deepEqual(out, ['info', 'error', 'unknown']);
  assert.deepEqual(stats, { records: 7, kept: 3, dropped: { severity: 4, rule: 0, sample: 0 } });
});

test('rules: first match decides; keep skips later rules; fields from record, then resource, aliases too', () => {
  const config: FilterConfigInput = {
    rules: [
      { action: 'keep', field: 'event_type', in: ['job_failed', 'job_completed'] },
      { action: 'drop', field: 'body', matches: '/^GET \\/healthz/i' },
      { action: 'drop', field: 'service_type', equals: 'noisy' },
      { action: 'drop', field: 'job_id', exists: false },
    ],
  };
  const { out, stats } = run(config, [
    rec({ body: 'get /healthz 200', attributes: { job_id: 'j1' } }),
    rec({ body: 'failed', attributes: { eventType: 'job_failed', service_type: 'noisy' } }),
    rec({ body: 'noisy', attributes: { job_id: 'j1' } }),
    rec({ body: 'no job' }),
    rec({ body: 'kept', attributes: { jobId: 'j2' } }),
    rec({ body: 'completed', eventName: 'job_completed' }),
  ], { service_type: 'noisy2' });
  assert.deepEqual(out, ['failed', 'noisy', 'kept', 'completed']);
  assert.equal(stats.dropped.rule, 2);

  const res = run({ rules: [{ action: 'drop', field: 'service_type', equals: 'noisy' }] }, [rec({ body: 'a' }), rec({ body: 'b', attributes: { service_type: 'other' } })], { serviceType: 'noisy' });
  assert.deepEqual(res.out, ['b'], 'record attribute wins over the resource; resource aliases are seen');
});

test('values compare as text; level/severity fields are level words; map bodies use their message', () => {
  const { out } = run({
    rules: [
      { action: 'drop', field: 'status_code', equals: 404 },
      { action: 'drop', field: 'retryable', equals: false },
      { action: 'drop', field: 'level', in: ['debug', 'trace'] },
      { action: 'drop', field: 'body', equals: 'heartbeat' },
    ],
  }, [
    rec({ body: 'nf-string', attributes: { status_code: '404' } }), rec({ body: 'nf-number', attributes: { status_code: 404 } }),
    rec({ body: 'ok', attributes: { status_code: 200 } }), rec({ body: 'not-retryable', attributes: { retryable: false } }),
    rec({ body: 'debug', severityNumber: 6 }), rec({ body: { msg: 'heartbeat', n: 1 } }), rec({ body: 'info' }),
  ]);
  assert.deepEqual(out, ['ok', 'info']);
});

test('sampling is deterministic by job: all records of a job kept or dropped together; warn+ never sampled', () => {
  const p = createFilterProcessor({ sample: { rate: 0.5 } });
  const jobs = Array.from({ length: 400 }, (_, i) => `job-${i}`);
  const records = jobs.flatMap((j) => [0, 1, 2].map((n) => rec({ body: `${j}#${n}`, attributes: { job_id: j } })));
  const warn = rec({ body: 'warn', severityNumber: 13, attributes: { job_id: 'job-dropped?' } });
  const out = bodies(p.process(logs([...records, warn]))) as string[];
  const keptJobs = new Set(out.filter((b) => b !== 'warn').map((b) => b.split('#')[0]));
  for (const j of keptJobs) for (const n of [0, 1, 2]) assert.ok(out.includes(`${j}#${n}`), `all records of ${j} kept`);
  assert.ok(keptJobs.size > 140 && keptJobs.size < 260, `about half of the jobs kept: ${keptJobs.size}`);
  for (const j of jobs) assert.equal(keptJobs.has(j), keepByHash(j, 0.5));
  assert.ok(out.includes('warn'));
  // the same decision in another batch, by another processor instance
  const again = bodies(createFilterProcessor({ sample: { rate: 0.5 } }).process(logs(jobs.map((j) => rec({ body: j, attributes: { job_id: j } })))));
  assert.deepEqual(new Set(again), keptJobs);
  assert.equal(p.stats().dropped.sample, (400 - keptJobs.size) * 3);
});

test('sampling falls back to trace id, then chance; "when" limits what is sampled; keep rules bypass sampling', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const byTrace = createFilterProcessor({ sample: { rate: 0.5 } });
  const t = bodies(byTrace.process(logs([rec({ body: 'a', traceId }), rec({ body: 'b', traceId })])));
  assert.equal(t.length, keepByHash(traceId, 0.5) ? 2 : 0);

  const chance = createFilterProcessor({ sample: { rate: 0.5 } }, { random: () => 0.9 });
  assert.equal(chance.process(logs([rec({ body: 'no key' })])), null);
  const lucky = createFilterProcessor({ sample: { rate: 0.5 } }, { random: () => 0.1 });
  assert.deepEqual(bodies(lucky.process(logs([rec({ body: 'no key' })]))), ['no key']);

  const when = createFilterProcessor({
    rules: [{ action: 'keep', field: 'vip', exists: true }],
    sample: { rate: 0.01, by: 'worker_id', keepSeverityAtLeast: 'error', when: { field: 'event_type', equals: 'job_progress' } },
  }, { random: () => 0.99 });
  const out = bodies(when.process(logs([
    rec({ body: 'progress', attributes: { event_type: 'job_progress', worker_id: 'w-never-kept-at-1%' } }),
    rec({ body: 'started', attributes: { event_type: 'job_started', worker_id: 'w' } }),
    rec({ body: 'vip progress', attributes: { event_type: 'job_progress', vip: 'yes' } }),
    rec({ body: 'warn progress', severityNumber: 13, attributes: { event_type: 'job_progress' } }),
    rec({ body: 'error progress', severityNumber: 17, attributes: { event_type: 'job_progress' } }),
  ])));
  const progressKept = keepByHash('w-never-kept-at-1%', 0.01);
  assert.deepEqual(out, [...(progressKept ? ['progress'] : []), 'started', 'vip progress', 'error progress']);
});

test('empty scopes and resources are removed; null when nothing is left; traces and metrics pass through', () => {
  const p = createFilterProcessor({ minSeverity: 'warn' });
  const t: Telemetry = {
    signal: 'logs',
    request: { resourceLogs: [
      { resource: { attributes: { r: 1 }, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [
        { scope, schemaUrl: '', logRecords: [rec({ body: 'd', severityNumber: 5 })] },
        { scope, schemaUrl: '', logRecords: [rec({ body: 'e', severityNumber: 17 })] },
      ] },
      { resource: { attributes: { r: 2 }, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: [rec({ body: 'd2', severityNumber: 5 })] }] },
    ] },
  };
  const out = p.process(t);
  assert.ok(out);
  const req = out.request as ExportLogsServiceRequest;
  assert.equal(req.resourceLogs.length, 1);
  assert.equal(req.resourceLogs[0]!.scopeLogs.length, 1);
  assert.deepEqual(bodies(out), ['e']);
  assert.equal(p.process(logs([rec({ severityNumber: 1 })])), null);
  assert.equal(runProcessors([p], logs([rec({ severityNumber: 1 })])), null);
  const traces: Telemetry = { signal: 'traces', request: { resourceSpans: [] } };
  assert.equal(p.process(traces), traces);
  const metrics: Telemetry = { signal: 'metrics', request: { resourceMetrics: [] } };
  assert.equal(p.process(metrics), metrics);
});

test('FNV-1a matches the reference values', () => {
  assert.equal(fnv1a(''), 0x811c9dc5);
  assert.equal(fnv1a('a'), 0xe40c292c);
  assert.equal(fnv1a('foobar'), 0xbf9cf968);
});

test('bad config is a JS_CONFIG error', () => {
  const bad: unknown[] = [
    { minSeverity: 'loud' },
    { rules: [{ action: 'delete', field: 'x', exists: true }] },
    { rules: [{ action: 'drop', field: '', exists: true }] },
    { rules: [{ action: 'drop', field: 'x' }] },
    { rules: [{ action: 'drop', field: 'x', matches: '(' }] },
    { rules: [{ action: 'drop', field: 'x', in: [] }] },
    { rules: [{ action: 'drop', field: 'x', equals: { a: 1 } }] },
    { rules: 'none' },
    { sample: { rate: 0 } },
    { sample: { rate: 1.5 } },
    { sample: { rate: 0.5, keepSeverityAtLeast: 'meh' } },
    { sample: { rate: 0.5, when: { field: 'x' } } },
  ];
  for (const config of bad) {
    assert.throws(() => createFilterProcessor(config as FilterConfigInput), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_CONFIG', JSON.stringify(config));
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import { validate } from '@jobscope/core/schemas';
import type { AnyValue, Attributes, ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, LogRecord, Span } from '@jobscope/otlp';
import type { Telemetry } from '../../telemetry.js';
import { createCanonicalProcessor, renameAliases } from './index.js';

const rec = (over: Partial<LogRecord> = {}): LogRecord => ({
  timeUnixNano: '1764324000000000000', observedTimeUnixNano: '0', severityNumber: 0, severityText: '', body: 'x',
  attributes: {}, droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName: '', ...over,
});
const scope = { name: 's', version: '', attributes: {}, droppedAttributesCount: 0 };
const logs = (records: LogRecord[], resource: Attributes = {}): Telemetry => ({
  signal: 'logs',
  request: { resourceLogs: [{ resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: records }] }] },
});
const resourceOf = (t: Telemetry): Attributes => (t.request as ExportLogsServiceRequest).resourceLogs[0]!.resource.attributes;

/** Deep check that a value is a valid OTLP AnyValue. */
function assertAnyValue(v: unknown, path = 'value'): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') return;
  if (Array.isArray(v)) { v.forEach((x, i) => assertAnyValue(x, `${path}[${i}]`)); return; }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    for (const [k, x] of Object.entries(v)) assertAnyValue(x, `${path}.${k}`);
    return;
  }
  assert.fail(`${path} is not an AnyValue: ${typeof v}`);
}

test('aliases become canonical keys; a canonical key present wins and its alias is left alone', () => {
  const attrs: Attributes = { jobId: 'j-1', 'emp.machine.id': 'm-1', worker_id: 'w-own', workerId: 'w-alias', eventType: 'job_started', other: 1 };
  assert.equal(renameAliases(attrs), 3);
  assert.deepEqual(attrs, { worker_id: 'w-own', workerId: 'w-alias', other: 1, job_id: 'j-1', machine_id: 'm-1', event_type: 'job_started' });
  // empty alias values are not renamed (the server ignores them)
  const empty: Attributes = { jobId: '' };
  assert.equal(renameAliases(empty), 0);
  assert.deepEqual(empty, { jobId: '' });
  // several aliases of one missing key: the last wins (as flattenAttributes)
  const two: Attributes = { jobId: 'a', 'job.id': 'b' };
  renameAliases(two);
  assert.deepEqual(two, { job_id: 'b' });
});

test('renames on resources, records, spans, span events and metric data points', () => {
  const p = createCanonicalProcessor({ validateSchemas: false });
  const t = logs([rec({ attributes: { jobId: 'j' } })], { 'deployment.environment.name': 'prod', serviceType: 'comfyui' });
  p.process(t);
  assert.deepEqual(resourceOf(t), { dataset: 'prod', service_type: 'comfyui' });
  assert.deepEqual((t.request as ExportLogsServiceRequest).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.attributes, { job_id: 'j' });

  const span = { attributes: { jobId: 'j' }, events: [{ timeUnixNano: '1', name: 'e', attributes: { sessionId: 's' }, droppedAttributesCount: 0 }] } as unknown as Span;
  const traces: Telemetry = { signal: 'traces', request: { resourceSpans: [{ resource: { attributes: { machineId: 'm' }, droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans: [span] }] }] } };
  p.process(traces);
  const rs = (traces.request as ExportTraceServiceRequest).resourceSpans[0]!;
  assert.deepEqual(rs.resource.attributes, { machine_id: 'm' });
  assert.deepEqual(rs.scopeSpans[0]!.spans[0]!.attributes, { job_id: 'j' });
  assert.deepEqual(rs.scopeSpans[0]!.spans[0]!.events[0]!.attributes, { session_id: 's' });

  const metrics: Telemetry = { signal: 'metrics', request: { resourceMetrics: [{ resource: { attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', scopeMetrics: [{ scope, schemaUrl: '', metrics: [
    { name: 'g', description: '', unit: '', metadata: {}, data: { type: 'gauge', dataPoints: [{ attributes: { workerId: 'w' }, startTimeUnixNano: '0', timeUnixNano: '1', value: 1, exemplars: [], flags: 0 }] } },
    { name: 'e', description: '', unit: '', metadata: {}, data: { type: 'empty' } },
  ] }] }] } };
  p.process(metrics);
  const m = (metrics.request as ExportMetricsServiceRequest).resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
  assert.deepEqual(m.data.type === 'gauge' ? m.data.dataPoints[0]!.attributes : null, { worker_id: 'w' });
  assert.equal(p.stats().renamed, 7);
});

test('severity from severityText, else from a level attribute; text set only when empty', () => {
  const p = createCanonicalProcessor();
  const cases: [Partial<LogRecord>, number, string][] = [
    [{ severityText: 'WARNING' }, 13, 'WARNING'],
    [{ attributes: { level: 'error' } }, 17, 'error'],
    [{ attributes: { level: 50 } }, 17, '50'],
    [{ attributes: { severity: 'debug' } }, 5, 'debug'],
    [{ severityText: 'weird', attributes: { level: 'fatal' } }, 21, 'weird'],
    [{ severityNumber: 14, severityText: 'WARN2', attributes: { level: 'error' } }, 14, 'WARN2'],
    [{ attributes: { level: 'chatty' } }, 0, ''],
  ];
  for (const [over, num, text] of cases) {
    const r = rec(over);
    p.process(logs([r]));
    assert.equal(r.severityNumber, num, JSON.stringify(over));
    assert.equal(r.severityText, text, JSON.stringify(over));
  }
  assert.equal(p.stats().severityFilled, 5);
});

test('schema validation normalizes connector fields and keeps every other key', () => {
  const p = createCanonicalProcessor();
  const r = rec({ attributes: { service_type: 'comfyui', promptId: 'p1', queueRemaining: '3', vram_usage: '1024.5', custom: { a: [1, 'b'] }, level: 'info', message: 'm', flag: true } });
  p.process(logs([r]));
  assert.deepEqual(r.attributes, { service_type: 'comfyui', prompt_id: 'p1', queue_remaining: 3, vram_usage: 1024.5, custom: { a: [1, 'b'] }, flag: true, level: 'info', message: 'm' });
  assert.equal((r.attributes as Attributes).schema_errors, undefined);
  assert.deepEqual(p.stats(), { renamed: 0, severityFilled: 1, validated: 1, schemaErrors: 0, failed: 0 });
});

test('schema errors are reported as the SDK writes them: an array of strings on the record', () => {
  const p = createCanonicalProcessor();
  const fields = { service_type: 'a1111', steps: 'abc', cfg_scale: '7', sampler_name: 'Euler' };
  const r = rec({ attributes: { ...fields } });
  p.process(logs([r]));
  const expected = validate('a1111', fields);
  assert.deepEqual(r.attributes.schema_errors, expected.schema_errors);
  assert.deepEqual(r.attributes.schema_errors, ['steps: expected integer, got "abc"']);
  assert.equal(r.attributes.steps, undefined);
  assert.equal(r.attributes.cfg_scale, 7);
  assert.equal(r.attributes.sampler, 'Euler');
  assert.equal(p.stats().schemaErrors, 1);
});

test('service_type from the resource; existing schema_errors kept and merged; canonical key beats alias', () => {
  const p = createCanonicalProcessor();
  const r = rec({ attributes: { progress: 140, schema_errors: ['attempt: expected integer, got "two"'], status_code: 404, statusCode: 'teapot' } });
  p.process(logs([r], { 'emp.service.type': 'rest' }));
  assert.equal(r.attributes.progress, 100);
  assert.equal(r.attributes.status_code, 404);
  assert.deepEqual(r.attributes.schema_errors, [
    'attempt: expected integer, got "two"', 'status_code: expected integer, got "teapot"', 'progress: 140 above maximum 100 (clamped)',
  ]);
  // without new problems the SDK's errors stay as they were
  const clean = rec({ attributes: { service_type: 'rest', schema_errors: ['x: bad'] } });
  p.process(logs([clean]));
  assert.deepEqual(clean.attributes.schema_errors, ['x: bad']);
});

test('no service_type, or validateSchemas off: attributes untouched apart from aliases', () => {
  const attrs = { steps: 'abc', userId: 'u', nothing: null };
  const r = rec({ attributes: { ...attrs } });
  createCanonicalProcessor().process(logs([r]));
  assert.deepEqual(r.attributes, attrs);
  const off = rec({ attributes: { service_type: 'a1111', steps: 'abc' } });
  createCanonicalProcessor({ validateSchemas: false }).process(logs([off]));
  assert.deepEqual(off.attributes, { service_type: 'a1111', steps: 'abc' });
});

test('values stay valid OTLP AnyValues (objects parsed from JSON, nulls kept)', () => {
  const p = createCanonicalProcessor();
  const r = rec({ attributes: { service_type: 'simulation', parameters: '{"lr":0.1,"layers":[1,2]}', iteration: '4', gone: null, nested: { deep: { x: [true, null] } } as AnyValue } });
  p.process(logs([r]));
  assert.deepEqual(r.attributes.parameters, { lr: 0.1, layers: [1, 2] });
  assert.equal(r.attributes.iteration, 4);
  assert.equal(r.attributes.gone, null);
  assertAnyValue(r.attributes);
});

test('an explicit undefined keeps the default', () => {
  const r = rec({ attributes: { service_type: 'a1111', steps: '3' } });
  createCanonicalProcessor({ validateSchemas: undefined as never }).process(logs([r]));
  assert.equal(r.attributes.steps, 3);
});

test('bad config is a JS_CONFIG error', () => {
  assert.throws(() => createCanonicalProcessor({ validateSchemas: 'yes' as never }), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_CONFIG');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportLogsServiceRequest, LogRecord } from '@jobscope/otlp';
import { normalizeLogs } from './logs.js';
import { MAX_ATTRIBUTE_CHARS, TRUNCATED_ATTR } from './attributes.js';

const ctx = { receivedAtNs: '1764324000000000000' };
const rec = (over: Partial<LogRecord>): LogRecord => ({
  timeUnixNano: '1764324000123456789', observedTimeUnixNano: '0', severityNumber: 0, severityText: '',
  body: 'hello', attributes: {}, droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName: '', ...over,
});
const req = (records: LogRecord[], resource: Record<string, string> = {}): ExportLogsServiceRequest => ({
  resourceLogs: [{ resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{ scope: { name: 's', version: '1', attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', logRecords: records }] }],
});

test('aliases become canonical names and fill the job columns', () => {
  for (const alias of ['jobId', 'job.id', 'emp.job.id', 'job_id']) {
    const [row] = normalizeLogs(req([rec({ attributes: { [alias]: 'job-7', eventType: 'job_started' } })]), ctx);
    assert.equal(row!.JobId, 'job-7', alias);
    assert.equal(row!.LogAttributes.job_id, 'job-7');
    assert.equal(row!.EventType, 'job_started');
  }
});

test('a canonical key wins over its alias', () => {
  const [row] = normalizeLogs(req([rec({ attributes: { job_id: 'a', jobId: 'b' } })]), ctx);
  assert.equal(row!.JobId, 'a');
});

test('resource attributes fill machine, worker, service type and dataset where the record has none', () => {
  const [row] = normalizeLogs(req([rec({})], { 'host.name': 'gpu-box-1', 'service.instance.id': 'w-3', serviceType: 'comfyui', 'deployment.environment': 'prod', 'service.name': 'worker' }), ctx);
  assert.equal(row!.MachineId, 'gpu-box-1');
  assert.equal(row!.WorkerId, 'w-3');
  assert.equal(row!.ServiceType, 'comfyui');
  assert.equal(row!.Dataset, 'prod');
  assert.equal(row!.ServiceName, 'worker');
  const [own] = normalizeLogs(req([rec({ attributes: { machine_id: 'm-own' } })], { machine_id: 'm-res' }), ctx);
  assert.equal(own!.MachineId, 'm-own');
});

test('severity from number, text, or a level attribute; canonical lowercase words', () => {
  const cases: [Partial<LogRecord>, string, number][] = [
    [{ severityNumber: 17 }, 'error', 17],
    [{ severityNumber: 14 }, 'warn', 14],
    [{ severityText: 'WARNING' }, 'warn', 13],
    [{ attributes: { level: 'error' } }, 'error', 17],
    [{ attributes: { level: '50' } }, 'error', 17],
    [{}, 'info', 9],
  ];
  for (const [over, text, num] of cases) {
    const [row] = normalizeLogs(req([rec(over)]), ctx);
    assert.equal(row!.SeverityText, text, JSON.stringify(over));
    assert.equal(row!.SeverityNumber, num, JSON.stringify(over));
  }
});

test('a structured body gives its message as Body and its fields as attributes', () => {
  const [row] = normalizeLogs(req([rec({ body: { msg: 'done', jobId: 'job-9', duration_ms: 1200, nested: { a: 1 } } })]), ctx);
  assert.equal(row!.Body, 'done');
  assert.equal(row!.JobId, 'job-9');
  assert.equal(row!.LogAttributes.duration_ms, '1200');
  assert.equal(row!.LogAttributes.nested, '{"a":1}');
});

test('times: record time, else observed time, else receive time', () => {
  assert.equal(normalizeLogs(req([rec({})]), ctx)[0]!.Timestamp, '1764324000123456789');
  assert.equal(normalizeLogs(req([rec({ timeUnixNano: '0', observedTimeUnixNano: '5' })]), ctx)[0]!.Timestamp, '5');
  assert.equal(normalizeLogs(req([rec({ timeUnixNano: '0' })]), ctx)[0]!.Timestamp, ctx.receivedAtNs);
});

test('oversized attributes are cut and marked, not rejected; bad ids in attributes are dropped', () => {
  // Record ids come validated from the codec; trace_id/span_id attributes are checked here.
  const [row] = normalizeLogs(req([rec({ attributes: { big: 'x'.repeat(MAX_ATTRIBUTE_CHARS + 10), trace_id: 'zz', span_id: '0000000000000000' } })]), ctx);
  assert.equal(row!.LogAttributes.big!.length, MAX_ATTRIBUTE_CHARS);
  assert.equal(row!.LogAttributes[TRUNCATED_ATTR], 'true');
  assert.equal(row!.TraceId, '');
  assert.equal(row!.SpanId, '');
});

test('valid trace ids in attributes fill the trace context of the record', () => {
  const [row] = normalizeLogs(req([rec({ attributes: { trace_id: '0AF7651916CD43DD8448EB211C80319C', span_id: 'b7ad6b7169203331' } })]), ctx);
  assert.equal(row!.TraceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(row!.SpanId, 'b7ad6b7169203331');
});

test('the event name of a record is its event type', () => {
  const [row] = normalizeLogs(req([rec({ eventName: 'job_completed' })]), ctx);
  assert.equal(row!.EventType, 'job_completed');
});

/** Line → OTLP record mapping (table-driven). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineToRecord, msToHrTime, type RecordContext } from './record.js';

const ctx = { resource: {} as RecordContext['resource'], scope: { name: 't' }, now: [1, 0] } as RecordContext;

test('level names and pino numbers map to OpenTelemetry severities', () => {
  const cases: [unknown, number | undefined, string | undefined][] = [
    ['trace', 1, 'TRACE'], ['debug', 5, 'DEBUG'], ['info', 9, 'INFO'], ['warn', 13, 'WARN'], ['error', 17, 'ERROR'],
    ['fatal', 21, 'FATAL'], ['WARNING', 13, 'WARN'], [10, 1, 'TRACE'], [20, 5, 'DEBUG'], [30, 9, 'INFO'], [40, 13, 'WARN'],
    [50, 17, 'ERROR'], [60, 21, 'FATAL'], [35, 13, 'WARN'], ['custom', undefined, 'custom'], [undefined, undefined, undefined],
  ];
  for (const [level, num, text] of cases) {
    const r = lineToRecord(JSON.stringify({ level, msg: 'm' }), ctx);
    assert.equal(r?.severityNumber, num, `level ${String(level)}`);
    assert.equal(r?.severityText, text, `level ${String(level)}`);
  }
});

test('msg → body, time → timestamp, trace ids → trace context, the rest → attributes', () => {
  const r = lineToRecord(JSON.stringify({
    time: 1764324000123.5, level: 'info', msg: 'Job completed', job_id: 'job-1', duration_ms: 12, ok: true,
    tags: ['a', 'b'], meta: { gpu: 'A100' }, gone: null,
    trace_id: '0AF7651916CD43DD8448EB211C80319C', span_id: 'b7ad6b7169203331', trace_flags: 1,
  }), ctx);
  assert.ok(r);
  assert.equal(r.body, 'Job completed');
  assert.deepEqual(r.hrTime, [1764324000, 123_500_000]);
  assert.deepEqual(r.spanContext, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
  assert.deepEqual(r.attributes, { job_id: 'job-1', duration_ms: 12, ok: true, tags: ['a', 'b'], meta: { gpu: 'A100' } });
});

test('message is the body when there is no msg; invalid trace ids stay attributes; a missing time is now', () => {
  const r = lineToRecord('{"message":"hi","trace_id":"xyz","span_id":"b7ad6b7169203331"}', ctx);
  assert.equal(r?.body, 'hi');
  assert.equal(r?.spanContext, undefined);
  assert.deepEqual(r?.attributes, { trace_id: 'xyz', span_id: 'b7ad6b7169203331' });
  assert.deepEqual(r?.hrTime, [1, 0]);
  const both = lineToRecord('{"msg":"a","message":"b"}', ctx);
  assert.equal(both?.body, 'a');
  assert.deepEqual(both?.attributes, { message: 'b' });
});

test('anything but a JSON object is null', () => {
  for (const l of ['', 'not json', '{"a":', '[1,2]', '42', '"s"', 'null', 'true', '{"a":1}}']) {
    assert.equal(lineToRecord(l, ctx), null, l);
  }
});

test('msToHrTime keeps sub-millisecond precision and never overflows nanoseconds', () => {
  assert.deepEqual(msToHrTime(1500.25), [1, 500_250_000]);
  assert.deepEqual(msToHrTime(999.9999999999), [0, 999_999_999]);
});

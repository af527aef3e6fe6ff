import { test } from 'node:test';
import assert from 'node:assert/strict';
import { structuredToLogRecord, textToLogRecord, toNanos } from './structured-log.js';

const OBS = '1700000000000000000';

test('message, level, time and ids come out of the fields; the rest stay attributes', () => {
  const r = structuredToLogRecord({
    msg: 'job done', level: 'WARN', time: '2026-11-28T10:00:00.000Z', trace_id: '0AF7651916CD43DD8448EB211C80319C', spanId: 'b7ad6b7169203331',
    job_id: 'j1', nested: { a: [1, 'x'] }, big: 12n,
  }, '', OBS);
  assert.equal(r.body, 'job done');
  assert.equal(r.severityNumber, 13);
  assert.equal(r.severityText, 'WARN');
  assert.equal(r.timeUnixNano, (BigInt(Date.parse('2026-11-28T10:00:00.000Z')) * 1_000_000n).toString());
  assert.equal(r.traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(r.spanId, 'b7ad6b7169203331');
  assert.deepEqual(r.attributes, { level: 'WARN', job_id: 'j1', nested: { a: [1, 'x'] }, big: '12' });
  assert.equal(r.observedTimeUnixNano, OBS);
});

test('no message field: the record as JSON is the body; bad ids and times stay attributes', () => {
  const r = structuredToLogRecord({ a: 1, trace_id: 'nothex', time: 'yesterday' }, '1600000000000000000', OBS);
  assert.equal(r.body, '{"a":1,"trace_id":"nothex","time":"yesterday"}');
  assert.equal(r.traceId, '');
  assert.equal(r.timeUnixNano, '1600000000000000000', 'the event time when the record has none usable');
  assert.equal(r.attributes.trace_id, 'nothex');
  assert.equal(r.attributes.time, 'yesterday');
});

test('pino numeric levels and Fluent Bit date keys', () => {
  const r = structuredToLogRecord({ message: 'x', level: 50, date: 1700000000.5 }, '', OBS);
  assert.equal(r.severityNumber, 17);
  assert.equal(r.timeUnixNano, '1700000000500000000');
});

test('toNanos reads seconds, ms, µs, ns and date strings', () => {
  assert.equal(toNanos(1700000000), '1700000000000000000');
  assert.equal(toNanos(1700000000123), '1700000000123000000');
  assert.equal(toNanos(1700000000123456), '1700000000123456000');
  assert.equal(toNanos(1700000000123456789), BigInt(Math.trunc(1700000000123456789)).toString());
  assert.equal(toNanos('1700000000'), '1700000000000000000');
  assert.equal(toNanos(-1), '');
  assert.equal(toNanos(Number.NaN), '');
  assert.equal(toNanos({}), '');
});

test('at most MAX_FIELDS attributes; the rest counted as dropped', () => {
  const rec: Record<string, unknown> = { message: 'm' };
  for (let i = 0; i < 300; i++) rec[`k${i}`] = i;
  const r = structuredToLogRecord(rec, '', OBS);
  assert.equal(Object.keys(r.attributes).length, 256);
  assert.equal(r.droppedAttributesCount, 44);
});

test('a plain line is the body', () => {
  const r = textToLogRecord('plain text', '', OBS);
  assert.equal(r.body, 'plain text');
  assert.equal(r.timeUnixNano, OBS);
});

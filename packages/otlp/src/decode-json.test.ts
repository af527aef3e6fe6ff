/** OTLP/JSON leniencies and strictness: what other senders write, and precise errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@jobscope/core';
import { contentTypeOf, decodeRequest, type Signal } from './index.js';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const decode = <S extends Signal>(s: S, v: unknown) => decodeRequest(s, json(v), 'json');
const oneLog = (record: unknown) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] });
const firstLog = (record: unknown) => decode('logs', oneLog(record)).resourceLogs[0].scopeLogs[0].logRecords[0];

test('contentTypeOf', () => {
  assert.equal(contentTypeOf('application/x-protobuf'), 'protobuf');
  assert.equal(contentTypeOf('application/protobuf'), 'protobuf');
  assert.equal(contentTypeOf('Application/JSON; charset=utf-8'), 'json');
  assert.equal(contentTypeOf(' application/json ;charset=UTF-8'), 'json');
  assert.equal(contentTypeOf('application/x-protobuf;proto=opentelemetry'), 'protobuf');
  assert.equal(contentTypeOf('text/plain'), undefined);
  assert.equal(contentTypeOf(''), undefined);
  assert.equal(contentTypeOf(undefined), undefined);
});

test('snake_case keys, enum names, 64-bit ints as numbers, uppercase hex ids', () => {
  const out = decode('logs', {
    resource_logs: [{
      resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }], dropped_attributes_count: 2 },
      scope_logs: [{
        scope: { name: 's' },
        schema_url: 'u',
        log_records: [{
          time_unix_nano: 1700000000000000000, // a number: rounded by JSON itself, still accepted
          observed_time_unix_nano: '1700000000123456789',
          severity_number: 'SEVERITY_NUMBER_WARN2',
          severity_text: 'WARN',
          body: { kvlist_value: { values: [{ key: 'a', value: { int_value: '-12' } }, { key: 'b', value: { array_value: { values: [{ bool_value: true }, { double_value: 'NaN' }, {}] } } }] } },
          dropped_attributes_count: '3',
          trace_id: '5B8EFFF798038103D269B633813FC60C',
          span_id: 'EEE19B7EC3C1B174',
          event_name: 'e',
        }],
      }],
    }],
  });
  const rl = out.resourceLogs[0];
  assert.deepEqual(rl.resource, { attributes: { 'service.name': 'svc' }, droppedAttributesCount: 2 });
  assert.equal(rl.scopeLogs[0].schemaUrl, 'u');
  assert.deepEqual(rl.scopeLogs[0].logRecords[0], {
    timeUnixNano: '1700000000000000000',
    observedTimeUnixNano: '1700000000123456789',
    severityNumber: 14,
    severityText: 'WARN',
    body: { a: -12, b: [true, NaN, null] },
    attributes: {},
    droppedAttributesCount: 3,
    flags: 0,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    eventName: 'e',
  });
});

test('defaults for absent and null fields; unknown fields ignored; all-zero ids are empty', () => {
  const rec = firstLog({ timeUnixNano: null, body: null, attributes: null, traceId: '00000000000000000000000000000000', spanId: '', futureField: { x: 1 } });
  assert.deepEqual(rec, {
    timeUnixNano: '0', observedTimeUnixNano: '0', severityNumber: 0, severityText: '', body: null, attributes: {},
    droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName: '',
  });
  assert.deepEqual(decode('traces', {}), { resourceSpans: [] });
});

test('int64 AnyValues keep precision; bytes are canonical base64', () => {
  const rec = firstLog({
    attributes: [
      { key: 'max', value: { intValue: '9223372036854775807' } },
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'safe', value: { intValue: '9007199254740991' } },
      { key: 'num', value: { intValue: 17 } },
      { key: 'urlsafe', value: { bytesValue: '-_8' } },
      { key: 'dup', value: { stringValue: 'first' } },
      { key: 'dup', value: { stringValue: 'last' } },
    ],
  });
  assert.deepEqual(rec.attributes, {
    max: '9223372036854775807', min: '-9223372036854775808', safe: 9007199254740991, num: 17, urlsafe: '+/8=', dup: 'last',
  });
});

test('spans: kind and status code names; metrics: temporality names and snake_case points', () => {
  const spans = decode('traces', {
    resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'SPAN_KIND_CONSUMER', status: { code: 'STATUS_CODE_ERROR', message: 'm' }, flags: 769 }] }] }],
  }).resourceSpans[0].scopeSpans[0].spans[0];
  assert.equal(spans.kind, 5);
  assert.deepEqual(spans.status, { code: 2, message: 'm' });
  assert.equal(spans.flags, 769);

  const m = decode('metrics', {
    resourceMetrics: [{ scopeMetrics: [{ metrics: [
      { name: 'h', exponential_histogram: { aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA', data_points: [
        { count: 3, zero_count: '1', scale: '-2', positive: { offset: -1, bucket_counts: [1, '1'] }, zero_threshold: '0.5' },
      ] } },
      { name: 'g', gauge: { dataPoints: [{ as_int: '-5' }, { asDouble: 'Infinity' }, {}] } },
    ] }] }],
  }).resourceMetrics[0].scopeMetrics[0].metrics;
  assert.equal(m[0].data.type, 'exponentialHistogram');
  if (m[0].data.type === 'exponentialHistogram') {
    assert.equal(m[0].data.aggregationTemporality, 1);
    const p = m[0].data.dataPoints[0];
    assert.deepEqual([p.count, p.zeroCount, p.scale, p.positive, p.zeroThreshold], ['3', '1', -2, { offset: -1, bucketCounts: ['1', '1'] }, 0.5]);
  }
  assert.equal(m[1].data.type, 'gauge');
  if (m[1].data.type === 'gauge') assert.deepEqual(m[1].data.dataPoints.map((p) => p.value), [-5, Infinity, 0]);
});

test('a UTF-8 BOM is tolerated', () => {
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ resourceLogs: [] })]);
  assert.deepEqual(decodeRequest('logs', body, 'json'), { resourceLogs: [] });
});

/** Asserts a PermanentError whose message matches `re`. */
function rejects(signal: Signal, body: Buffer | string, re: RegExp): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  assert.throws(() => decodeRequest(signal, buf, 'json'), (e: unknown) => {
    assert.ok(e instanceof PermanentError, `PermanentError, got ${String(e)}`);
    assert.match(e.message, re);
    assert.equal(e.status, 400);
    return true;
  });
}

test('wrong JSON types are rejected with the path and the problem', () => {
  rejects('logs', '{"resourceLogs": 5}', /resourceLogs: expected an array, got 5/);
  rejects('logs', '[]', /request: expected a JSON object, got an array/);
  rejects('logs', 'null', /expected a JSON object, got null/);
  rejects('logs', '"x"', /expected a JSON object/);
  rejects('logs', JSON.stringify(oneLog({ attributes: { a: 1 } })), /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.attributes: expected an array/);
  rejects('logs', JSON.stringify(oneLog({ timeUnixNano: 'abc' })), /logRecords\[0\]\.timeUnixNano: expected a uint64.*"abc"/);
  rejects('logs', JSON.stringify(oneLog({ timeUnixNano: '18446744073709551616' })), /timeUnixNano: expected a uint64/);
  rejects('logs', JSON.stringify(oneLog({ timeUnixNano: -1 })), /timeUnixNano: expected a uint64/);
  rejects('logs', JSON.stringify(oneLog({ timeUnixNano: 1.5 })), /timeUnixNano/);
  rejects('logs', JSON.stringify(oneLog({ severityNumber: 'LOUD' })), /severityNumber: expected an enum/);
  rejects('logs', JSON.stringify(oneLog({ traceId: 'W47/95gDgQPSabYzgT/GDA==' })), /traceId: expected 32 hex characters/);
  rejects('logs', JSON.stringify(oneLog({ spanId: 'eee19b7ec3c1b1' })), /spanId: expected 16 hex characters/);
  rejects('logs', JSON.stringify(oneLog({ spanId: 'zze19b7ec3c1b174' })), /spanId/);
  rejects('logs', JSON.stringify(oneLog({ attributes: [{ key: 'k', value: { intValue: 'x1' } }] })), /attributes\[0\]\.intValue: expected an int64/);
  rejects('logs', JSON.stringify(oneLog({ attributes: [{ key: 5, value: {} }] })), /attributes\[0\]\.key: expected a string, got 5/);
  rejects('logs', JSON.stringify(oneLog({ attributes: [7] })), /attributes\[0\]: expected a \{key, value\} object/);
  rejects('logs', JSON.stringify(oneLog({ body: { boolValue: 'yes' } })), /body\.boolValue: expected a boolean/);
  rejects('logs', JSON.stringify(oneLog({ body: { bytesValue: 'not base64!' } })), /body\.bytesValue: expected base64/);
  rejects('logs', JSON.stringify(oneLog({ body: { arrayValue: { values: [{ doubleValue: 'abc' }] } } })), /body\.arrayValue\.values\[0\]\.doubleValue: expected a double/);
  rejects('logs', JSON.stringify(oneLog({ droppedAttributesCount: 4294967296 })), /droppedAttributesCount: expected a uint32/);
  rejects('logs', JSON.stringify({ resourceLogs: [{ resource: [] }] }), /resourceLogs\[0\]\.resource: expected an object/);
  rejects('traces', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ events: [{ name: 1 }] }] }] }] }), /spans\[0\]\.events\[0\]\.name: expected a string/);
  rejects('traces', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ links: {} }] }] }] }), /spans\[0\]\.links: expected an array/);
  rejects('metrics', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ sum: 1 }] }] }] }), /metrics\[0\]\.sum: expected an object/);
  rejects('metrics', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ histogram: { dataPoints: [{ bucketCounts: ['1', 'x'] }] } }] }] }] }), /dataPoints\[0\]\.bucketCounts\[1\]: expected a uint64/);
});

test('invalid JSON and invalid UTF-8 are rejected', () => {
  for (const bad of ['', '{', '{"resourceLogs": [}', 'nul', '{"a":1}}', '\u0000', '{"resourceLogs":[],}']) {
    rejects('logs', bad, /invalid JSON/);
  }
  rejects('logs', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), /not valid UTF-8/);
  rejects('logs', Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d]), /not valid UTF-8/); // a UTF-8 encoded surrogate
});

/** Protobuf wire leniencies (what other encoders may legally send) and precise errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { PermanentError } from '@jobscope/core';
import { decodeRequest, encodeResponse, encodeStatus, otlpRoot, type Signal } from './index.js';

const W = () => protobuf.Writer.create();
/** A length-delimited field holding `inner`. */
const ld = (w: protobuf.Writer, field: number, inner: Uint8Array) => w.uint32((field << 3) | 2).bytes(inner);
/** Wraps a LogRecord's bytes into a full logs request. */
function logsRequest(record: Uint8Array): Uint8Array {
  const scopeLogs = ld(W(), 2, record).finish();
  const resourceLogs = ld(W(), 2, scopeLogs).finish();
  return ld(W(), 1, resourceLogs).finish();
}
/** A 64-bit value as protobufjs Long bits, split with BigInt (independently of wire/int64.ts). */
const bits = (v: bigint) => {
  const u = BigInt.asUintN(64, v);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned: v >= 0n };
};
const firstLog = (record: Uint8Array) => decodeRequest('logs', logsRequest(record), 'protobuf').resourceLogs[0].scopeLogs[0].logRecords[0];

/** AnyValue{array_value: ArrayValue{values: AnyValue{...}}} `depth` levels deep, built in linear time. */
function nestedArrays(depth: number): Uint8Array {
  const varint = (n: number) => W().uint32(n).finish();
  const leaf = W().uint32(10).string('leaf').finish();
  const heads: Uint8Array[] = [];
  let inner = leaf.length; // size of the AnyValue at the current level
  for (let i = 0; i < depth; i++) {
    const arrayValue = 1 + varint(inner).length + inner; // ArrayValue { 1: AnyValue }
    heads.push(Buffer.concat([Buffer.from([0x2a]), varint(arrayValue), Buffer.from([0x0a]), varint(inner)]));
    inner = 1 + varint(arrayValue).length + arrayValue;
  }
  return Buffer.concat([...heads.reverse(), leaf]);
}

function rejects(signal: Signal, body: Uint8Array, re: RegExp): void {
  assert.throws(() => decodeRequest(signal, body, 'protobuf'), (e: unknown) => {
    assert.ok(e instanceof PermanentError, `PermanentError, got ${String(e)}`);
    assert.match(e.message, re);
    return true;
  });
}

test('unknown fields of every wire type, groups and reserved fields are skipped', () => {
  const w = W();
  w.uint32((3 << 3) | 2).string('sev');
  w.uint32((99 << 3) | 0).uint64(123456789012);
  w.uint32((100 << 3) | 1).fixed64(7);
  w.uint32((101 << 3) | 5).fixed32(7);
  w.uint32((102 << 3) | 2).bytes(new Uint8Array([1, 2, 3]));
  w.uint32((103 << 3) | 3).uint32((1 << 3) | 0).uint32(5).uint32((104 << 3) | 3).uint32((104 << 3) | 4).uint32((103 << 3) | 4); // nested groups
  w.uint32((4 << 3) | 2).string('old name field');
  w.uint32((12 << 3) | 2).string('evt');
  const rec = firstLog(w.finish());
  assert.equal(rec.severityText, 'sev');
  assert.equal(rec.eventName, 'evt');
});

test('a known field with an unexpected wire type is skipped like an unknown one', () => {
  const w = W();
  w.uint32((1 << 3) | 0).uint32(5); // time_unix_nano as a varint instead of fixed64
  w.uint32((3 << 3) | 0).uint32(1); // severity_text as a varint
  w.uint32((2 << 3) | 0).uint32(13);
  const rec = firstLog(w.finish());
  assert.deepEqual([rec.timeUnixNano, rec.severityText, rec.severityNumber], ['0', '', 13]);
});

test('repeated scalars packed or not; oneof last wins; negative enums', () => {
  const hp = W();
  hp.uint32((6 << 3) | 1).fixed64(1).uint32((6 << 3) | 1).fixed64(2); // unpacked bucket_counts
  hp.uint32((7 << 3) | 1).double(0.5); // unpacked explicit_bounds
  hp.uint32((6 << 3) | 2).fork().fixed64(3).ldelim(); // then a packed run
  const buckets = W().uint32((2 << 3) | 0).uint64(5).uint32((2 << 3) | 2).fork().uint64(6).uint64(7).ldelim().uint32((1 << 3) | 0).sint32(-3).finish();
  const ehp = ld(W(), 8, buckets).uint32((6 << 3) | 0).sint32(-4).finish();
  const metric = W().uint32((1 << 3) | 2).string('m');
  ld(metric, 5, ld(W(), 1, W().uint32((4 << 3) | 1).double(1).finish()).finish()); // gauge
  ld(metric, 9, ld(W(), 1, hp.finish()).uint32((2 << 3) | 0).int32(-1).finish()); // then histogram wins
  const m2 = W().uint32((1 << 3) | 2).string('e');
  ld(m2, 10, ld(W(), 1, ehp).finish());
  const scope = ld(ld(W(), 2, metric.finish()), 2, m2.finish()).finish();
  const body = ld(W(), 1, ld(W(), 2, scope).finish()).finish();
  const metrics = decodeRequest('metrics', body, 'protobuf').resourceMetrics[0].scopeMetrics[0].metrics;
  const h = metrics[0].data;
  assert.equal(h.type, 'histogram');
  if (h.type === 'histogram') {
    assert.equal(h.aggregationTemporality, -1);
    assert.deepEqual(h.dataPoints[0].bucketCounts, ['1', '2', '3']);
    assert.deepEqual(h.dataPoints[0].explicitBounds, [0.5]);
  }
  const e = metrics[1].data;
  assert.equal(e.type, 'exponentialHistogram');
  if (e.type === 'exponentialHistogram') {
    assert.equal(e.dataPoints[0].scale, -4);
    assert.deepEqual(e.dataPoints[0].positive, { offset: -3, bucketCounts: ['5', '6', '7'] });
  }
});

test('64-bit values are exact', () => {
  const w = W();
  w.uint32((1 << 3) | 1).fixed64(bits(18446744073709551615n));
  w.uint32((11 << 3) | 1).fixed64(bits(1700000000123456789n));
  const kv = (key: string, v: protobuf.Writer) => ld(W().uint32(10).string(key), 2, v.finish()).finish();
  w.uint32((6 << 3) | 2).bytes(kv('min', W().uint32((3 << 3) | 0).int64(bits(-9223372036854775808n))));
  w.uint32((6 << 3) | 2).bytes(kv('neg', W().uint32((3 << 3) | 0).int64(-42)));
  w.uint32((6 << 3) | 2).bytes(kv('u32max', W().uint32((3 << 3) | 0).int64(4294967295)));
  const rec = firstLog(w.finish());
  assert.equal(rec.timeUnixNano, '18446744073709551615');
  assert.equal(rec.observedTimeUnixNano, '1700000000123456789');
  assert.deepEqual(rec.attributes, { min: '-9223372036854775808', neg: -42, u32max: 4294967295 });
});

test('ids of the wrong length are rejected; all-zero ids are empty', () => {
  rejects('logs', logsRequest(W().uint32((9 << 3) | 2).bytes(new Uint8Array(15)).finish()), /logRecords\[0\]: traceId must be 16 bytes, got 15/);
  rejects('logs', logsRequest(W().uint32((10 << 3) | 2).bytes(new Uint8Array(16)).finish()), /spanId must be 8 bytes, got 16/);
  const rec = firstLog(W().uint32((9 << 3) | 2).bytes(new Uint8Array(16)).uint32((10 << 3) | 2).bytes(new Uint8Array(8)).finish());
  assert.deepEqual([rec.traceId, rec.spanId], ['', '']);
});

test('invalid UTF-8 in any string is rejected; a real U+FFFD is fine', () => {
  const bad = new Uint8Array([0x61, 0xff, 0x62]);
  rejects('logs', logsRequest(W().uint32((3 << 3) | 2).bytes(bad).finish()), /invalid UTF-8 in string field/);
  const kv = ld(W().uint32(10).bytes(bad), 2, W().uint32(10).string('v').finish()).finish();
  rejects('logs', logsRequest(W().uint32((6 << 3) | 2).bytes(kv).finish()), /logRecords\[0\]\.attributes: invalid UTF-8/);
  const overlong = new Uint8Array([0xc0, 0xaf]);
  rejects('logs', logsRequest(W().uint32((3 << 3) | 2).bytes(overlong).finish()), /invalid UTF-8/);
  assert.equal(firstLog(W().uint32((3 << 3) | 2).string('a\uFFFDb').finish()).severityText, 'a\uFFFDb');
});

test('structural errors: bad lengths, bad wire types, field 0, overlong varints, deep nesting', () => {
  rejects('logs', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), /truncated: length 4294967295/);
  rejects('logs', Buffer.from([0x0a, 0x05, 0x01]), /truncated: length 5 at byte 2 runs past the end of the body/);
  rejects('logs', Buffer.from([0x0e]), /invalid wire type 6/);
  rejects('logs', Buffer.from([0x0c]), /invalid wire type 4/); // a stray end-group
  rejects('logs', Buffer.from([0x02, 0x00]), /invalid field number 0/);
  rejects('logs', Buffer.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /varint longer than 10 bytes/);
  rejects('logs', Buffer.from([0x08, 0xff]), /truncated varint/);
  rejects('logs', logsRequest(W().uint32((1 << 3) | 1).uint32(1).finish()), /truncated fixed64/);
  // a sub-message claiming more bytes than its parent holds
  rejects('logs', logsRequest(Buffer.from([0x2a, 0x03, 0x0a, 0x05, 0x61, 0x1a, 0x01, 0x78])), /runs past the end of its enclosing message/);

  // AnyValue nested 100k deep: a PermanentError, not a stack overflow
  rejects('logs', logsRequest(ld(W(), 5, nestedArrays(100_000)).finish()), /body: AnyValue nested deeper than 64 levels/);
  let g = W();
  for (let i = 0; i < 100; i++) g = g.uint32((50 << 3) | 3);
  rejects('logs', g.finish(), /groups nested too deeply|truncated/);
});

test('responses and Status bodies decode with the spec messages', () => {
  const T = (n: string) => otlpRoot.lookupType(n);
  assert.equal(encodeResponse('logs', undefined, 'protobuf').length, 0);
  assert.equal(Buffer.from(encodeResponse('logs', undefined, 'json')).toString(), '{}');
  assert.equal(Buffer.from(encodeResponse('traces', { rejected: 0, errorMessage: '' }, 'json')).toString(), '{}');
  const cases = [
    ['logs', 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse', 'rejectedLogRecords'],
    ['traces', 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse', 'rejectedSpans'],
    ['metrics', 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse', 'rejectedDataPoints'],
  ] as const;
  for (const [signal, type, field] of cases) {
    const pb = encodeResponse(signal, { rejected: 3, errorMessage: 'bad ids' }, 'protobuf');
    const t = T(type);
    assert.deepEqual(t.toObject(t.decode(pb), { longs: Number }), { partialSuccess: { [field]: 3, errorMessage: 'bad ids' } });
    // wire bytes by hand: field 1 (LEN) { field 1 varint 3, field 2 string }
    assert.deepEqual(Buffer.from(pb), Buffer.from([0x0a, 11, 0x08, 3, 0x12, 7, ...Buffer.from('bad ids')]));
    assert.deepEqual(JSON.parse(Buffer.from(encodeResponse(signal, { rejected: 3, errorMessage: 'bad ids' }, 'json')).toString()), {
      partialSuccess: { [field]: '3', errorMessage: 'bad ids' },
    });
  }
  const st = encodeStatus(3, 'invalid OTLP logs request');
  assert.deepEqual(Buffer.from(st), Buffer.concat([Buffer.from([0x08, 3, 0x12, 25]), Buffer.from('invalid OTLP logs request')]));
  assert.deepEqual(JSON.parse(Buffer.from(encodeStatus(8, 'slow down', 'json')).toString()), { code: 8, message: 'slow down' });
});

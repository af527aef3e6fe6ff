/**
 * A malformed-input corpus: every input either decodes or throws a
 * PermanentError; no other exception, no crash, no hang.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@jobscope/core';
import { decodeRequest, encodeRequest, type Encoding, type Signal } from './index.js';
import { LOGS, METRICS, TRACES, logRecord } from './testing/fixtures.js';

const SIGNALS: Signal[] = ['logs', 'traces', 'metrics'];
const PAYLOADS = {
  logs: encodeRequest('logs', LOGS, 'protobuf'),
  traces: encodeRequest('traces', TRACES, 'protobuf'),
  metrics: encodeRequest('metrics', METRICS, 'protobuf'),
};

/** Decodes or throws PermanentError; returns whether it threw. */
function decodesOrPermanent(signal: Signal, body: Uint8Array, enc: Encoding): boolean {
  try {
    decodeRequest(signal, body, enc);
    return false;
  } catch (e) {
    if (!(e instanceof PermanentError)) assert.fail(`${signal}/${enc}: ${String(e)} is not a PermanentError`);
    assert.match(e.message, /^invalid OTLP (logs|traces|metrics) request \((protobuf|json)\): \S/);
    return true;
  }
}

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('every truncation of a real protobuf payload decodes or is rejected', () => {
  for (const signal of SIGNALS) {
    const full = PAYLOADS[signal];
    let rejected = 0;
    for (let n = 0; n < full.length; n++) if (decodesOrPermanent(signal, full.subarray(0, n), 'protobuf')) rejected++;
    // most cuts land inside a nested message, which must be noticed
    assert.ok(rejected > full.length * 0.9, `${signal}: ${rejected} of ${full.length} prefixes rejected`);
    assert.equal(decodesOrPermanent(signal, full, 'protobuf'), false);
  }
});

test('every truncation of a JSON payload is rejected', () => {
  const full = encodeRequest('logs', LOGS, 'json');
  for (let n = 0; n < full.length; n += 7) assert.ok(decodesOrPermanent('logs', full.subarray(0, n), 'json'));
});

test('seeded random bytes (3000 bodies per signal)', () => {
  const rnd = prng(0x5eed);
  for (const signal of SIGNALS) {
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rnd() * 300);
      const body = new Uint8Array(len);
      for (let k = 0; k < len; k++) body[k] = Math.floor(rnd() * 256);
      decodesOrPermanent(signal, body, 'protobuf');
      decodesOrPermanent(signal, body, 'json');
    }
  }
});

test('seeded mutations of real payloads (byte flips, splices) reach deep decoders', () => {
  const rnd = prng(42);
  for (const signal of SIGNALS) {
    const base = PAYLOADS[signal];
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const body = Buffer.from(base);
      const flips = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < flips; k++) body[Math.floor(rnd() * body.length)] = Math.floor(rnd() * 256);
      if (decodesOrPermanent(signal, body, 'protobuf')) rejected++;
    }
    assert.ok(rejected > 0 && rejected < 2000, `${signal}: ${rejected} of 2000 mutants rejected`);
  }
  const json = Buffer.from(encodeRequest('traces', TRACES, 'json')).toString();
  for (let i = 0; i < 1000; i++) {
    const at = Math.floor(rnd() * json.length);
    const junk = ['"', '{', ']', '1', 'null', '[]', '{}', '"x"', ':', ',', 'true'][Math.floor(rnd() * 11)];
    decodesOrPermanent('traces', Buffer.from(json.slice(0, at) + junk + json.slice(at + 1)), 'json');
  }
});

test('huge values decode fine: a 1 MB attribute and a 1 MB body', () => {
  const big = 'x'.repeat(1 << 20) + 'é';
  const req = { resourceLogs: [{ resource: { attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{
    scope: { name: '', version: '', attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '',
    logRecords: [logRecord(1, { body: big, attributes: { big } })],
  }] }] };
  for (const enc of ['protobuf', 'json'] as const) {
    const out = decodeRequest('logs', encodeRequest('logs', req, enc), enc);
    const rec = out.resourceLogs[0].scopeLogs[0].logRecords[0];
    assert.equal(rec.body, big);
    assert.equal(rec.attributes.big, big);
  }
});

test('deeply nested JSON is rejected, not a stack overflow', () => {
  let v = '{"stringValue":"leaf"}';
  for (let i = 0; i < 5000; i++) v = `{"arrayValue":{"values":[${v}]}}`;
  const body = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${v}}]}]}]}`;
  assert.throws(() => decodeRequest('logs', Buffer.from(body), 'json'), (e: unknown) => e instanceof PermanentError && /nested deeper than 64/.test(e.message));
  const arrays = '['.repeat(200_000) + ']'.repeat(200_000);
  decodesOrPermanent('logs', Buffer.from(arrays), 'json');
});

test('invalid UTF-8 and wrong types in a JSON body', () => {
  assert.ok(decodesOrPermanent('metrics', Buffer.from([0xc3, 0x28]), 'json'));
  for (const body of ['{"resourceMetrics":{"a":1}}', '{"resourceMetrics":[1]}', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":{"dataPoints":[{"asInt":"1.5"}]}}]}]}]}']) {
    assert.ok(decodesOrPermanent('metrics', Buffer.from(body), 'json'), body);
  }
});

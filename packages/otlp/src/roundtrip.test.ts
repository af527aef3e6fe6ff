/** encodeRequest -> decodeRequest is the identity on our types, in both encodings and across them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, encodeRequest, type Encoding, type RequestBySignal, type Signal } from './index.js';
import { LOGS, METRICS, TRACES, logsOf } from './testing/fixtures.js';
import { referenceDecode } from './testing/reference.js';

const FIXTURES: { [S in Signal]: RequestBySignal[S] } = { logs: LOGS, traces: TRACES, metrics: METRICS };
const SIGNALS: Signal[] = ['logs', 'traces', 'metrics'];
const ENCODINGS: Encoding[] = ['protobuf', 'json'];

for (const signal of SIGNALS) {
  for (const enc of ENCODINGS) {
    test(`round trip ${signal} ${enc}`, () => {
      const req = FIXTURES[signal];
      const bytes = encodeRequest(signal, req, enc);
      assert.deepEqual(decodeRequest(signal, bytes, enc), req);
    });
  }

  test(`round trip ${signal} protobuf -> json -> protobuf`, () => {
    const req = FIXTURES[signal];
    const viaProto = decodeRequest(signal, encodeRequest(signal, req, 'protobuf'), 'protobuf');
    const viaJson = decodeRequest(signal, encodeRequest(signal, viaProto, 'json'), 'json');
    const back = encodeRequest(signal, viaJson, 'protobuf');
    assert.deepEqual(Buffer.from(back), Buffer.from(encodeRequest(signal, req, 'protobuf')));
  });

  test(`${signal}: hand-written decoder agrees with protobufjs on our encoding`, () => {
    const bytes = encodeRequest(signal, FIXTURES[signal], 'protobuf');
    assert.deepEqual(decodeRequest(signal, bytes, 'protobuf'), referenceDecode(signal, bytes));
  });
}

test('the "__proto__" attribute key stays an own property and pollutes nothing', () => {
  for (const enc of ENCODINGS) {
    const out = decodeRequest('logs', encodeRequest('logs', LOGS, enc), enc);
    const attrs = out.resourceLogs[0].scopeLogs[0].logRecords[2].attributes;
    assert.ok(Object.prototype.hasOwnProperty.call(attrs, '__proto__'));
    assert.equal(Object.getPrototypeOf(attrs), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});

test('many distinct and colliding attribute keys decode exactly (key interning)', () => {
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const attrs: Record<string, number> = {};
  for (let i = 0; i < 5000; i++) {
    const len = 1 + Math.floor(rnd() * 12);
    let k = '';
    for (let j = 0; j < len; j++) k += String.fromCharCode(97 + Math.floor(rnd() * 3)); // a tiny alphabet: many near-collisions
    attrs[k] = i;
  }
  const req = logsOf(3);
  req.resourceLogs[0].scopeLogs[0].logRecords.forEach((r) => (r.attributes = { ...attrs }));
  for (let round = 0; round < 2; round++) {
    assert.deepEqual(decodeRequest('logs', encodeRequest('logs', req, 'protobuf'), 'protobuf'), req);
  }
});

test('1000-record logs request round-trips in both encodings', () => {
  const req = logsOf(1000);
  for (const enc of ENCODINGS) assert.deepEqual(decodeRequest('logs', encodeRequest('logs', req, enc), enc), req);
});

test('empty requests', () => {
  assert.deepEqual(decodeRequest('logs', new Uint8Array(0), 'protobuf'), { resourceLogs: [] });
  assert.deepEqual(decodeRequest('traces', Buffer.from('{}'), 'json'), { resourceSpans: [] });
  assert.equal(encodeRequest('metrics', { resourceMetrics: [] }, 'protobuf').length, 0);
});

test('a body that is a view into a larger buffer decodes from its own bytes only', () => {
  const bytes = encodeRequest('traces', TRACES, 'protobuf');
  const host = new Uint8Array(bytes.length + 20).fill(0xff);
  host.set(bytes, 10);
  assert.deepEqual(decodeRequest('traces', host.subarray(10, 10 + bytes.length), 'protobuf'), TRACES);
  const json = encodeRequest('traces', TRACES, 'json');
  const host2 = new Uint8Array(json.length + 4).fill(0x7b);
  host2.set(json, 2);
  assert.deepEqual(decodeRequest('traces', host2.subarray(2, 2 + json.length), 'json'), TRACES);
});

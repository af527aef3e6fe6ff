import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExtData } from '@msgpack/msgpack';
import { EventTime, decodeValue, encodeValue } from '../codec.js';
import { ByteQueue, FrameError, MessageScanner, arrayElements, rawBytes } from '../frame.js';

const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.string(), fc.uint8Array({ maxLength: 300 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }).map((b) => Number(b)),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 999_999_999 })).map(([s, ns]) => new EventTime(s, ns)),
    fc.array(tie('v'), { maxLength: 20 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 20 }),
  ),
})).v;

test('the scanner finds every message boundary whatever the chunking (property)', () => {
  fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), fc.array(fc.nat({ max: 400 }), { maxLength: 30 }), (values, cuts) => {
    const encoded = values.map((v) => Buffer.from(encodeValue(v)));
    const stream = Buffer.concat(encoded);
    const q = new ByteQueue();
    const s = new MessageScanner(1 << 30);
    const found: Buffer[] = [];
    let pos = 0;
    const feed = (n: number): void => {
      q.append(stream.subarray(pos, pos + n));
      pos = Math.min(stream.length, pos + n);
      for (let len = s.scan(q.view()); len > 0; len = s.scan(q.view())) {
        found.push(q.take(len));
        s.reset();
      }
    };
    for (const cut of cuts) feed(cut);
    feed(stream.length);
    assert.deepEqual(found, encoded);
    assert.equal(q.length, 0);
  }), { numRuns: 300 });
});

test('the scanner rejects by the headers: long payloads, huge counts, 0xc1', () => {
  const s = new MessageScanner(100);
  assert.throws(() => s.scan(Buffer.from([0xc6, 0, 0, 1, 0])), (e: unknown) => e instanceof FrameError && e.kind === 'oversize');
  s.reset();
  assert.throws(() => s.scan(Buffer.from([0xdd, 0, 0, 0, 200])), (e: unknown) => e instanceof FrameError && e.kind === 'oversize');
  s.reset();
  assert.throws(() => s.scan(Buffer.from([0xdf, 0, 0, 0, 60])), (e: unknown) => e instanceof FrameError && e.kind === 'oversize');
  s.reset();
  assert.throws(() => s.scan(Buffer.from([0x92, 0x01, 0xc1])), (e: unknown) => e instanceof FrameError && e.kind === 'malformed');
  s.reset();
  assert.equal(s.scan(Buffer.from([0x92, 0x01])), 0, 'incomplete');
  assert.equal(s.scan(Buffer.from([0x92, 0x01, 0xa1])), 0, 'still incomplete');
  assert.equal(s.scan(Buffer.from([0x92, 0x01, 0xa1, 0x61, 0xff])), 4);
});

test('a message of exactly the limit passes, one byte more does not', () => {
  const msg = Buffer.from(encodeValue(['t', 'x'.repeat(90)]));
  assert.equal(new MessageScanner(msg.length).scan(msg), msg.length);
  assert.throws(() => new MessageScanner(msg.length - 1).scan(msg), FrameError);
});

test('arrayElements and rawBytes slice without decoding', () => {
  const msg = Buffer.from(encodeValue(['tag', new Uint8Array([1, 2, 3]), { chunk: 'c' }]));
  const els = arrayElements(msg)!;
  assert.equal(els.length, 3);
  assert.equal(decodeValue(msg.subarray(els[0]![0], els[0]![1])), 'tag');
  assert.deepEqual([...rawBytes(msg.subarray(els[1]![0], els[1]![1]))!], [1, 2, 3]);
  assert.equal(rawBytes(msg.subarray(els[2]![0], els[2]![1])), undefined);
  assert.equal(arrayElements(Buffer.from(encodeValue({ a: 1 }))), undefined);
  assert.deepEqual(decodeValue(encodeValue(new EventTime(1, 2))), new EventTime(1, 2));
});

test('every msgpack header kind, fed a byte at a time then whole', () => {
  const values: unknown[] = [
    'x'.repeat(40), 'x'.repeat(300), 'x'.repeat(70_000), new Uint8Array(70_000), new Uint8Array(300),
    Array.from({ length: 20 }, () => 1), Array.from({ length: 70_000 }, () => null),
    Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
    Object.fromEntries(Array.from({ length: 70_000 }, (_, i) => [`k${i}`, true])),
    ...[1, 2, 4, 8, 16, 3, 300, 70_000].map((n) => new ExtData(5, new Uint8Array(n))),
    -1, -100, -40_000, -3_000_000_000, 200, 60_000, 4_000_000_000, 2 ** 60, 1.5,
  ];
  const raw = [
    Buffer.from([0xca, 0x3f, 0x80, 0, 0]), // float32
    Buffer.from([0xcf, 0, 0, 0, 0, 0, 0, 0, 1]), // uint64
    Buffer.from([0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // int64
  ];
  for (const b of [...values.map((v) => Buffer.from(encodeValue(v))), ...raw]) {
    const s = new MessageScanner(1 << 30);
    assert.equal(s.scan(b), b.length);
    s.reset();
    const step = b.length > 1000 ? 997 : 1;
    let found = 0;
    for (let n = 1; n <= b.length && found === 0; n = Math.min(b.length, n + step)) {
      found = s.scan(b.subarray(0, n));
      if (n === b.length) break;
    }
    assert.equal(found, b.length, `header 0x${b[0]!.toString(16)}`);
  }
});

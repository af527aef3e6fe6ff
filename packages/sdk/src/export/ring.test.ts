/** The shared ring: framing, wrap-around, multi-byte text, the full condition, against a plain queue model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRing, CTL_SLEEP, RingReader, RingWriter, SLEEP_IDLE } from './ring.js';

function readAll(r: RingReader): string[] {
  const out: string[] = [];
  r.read(1_000_000, (l) => {
    out.push(l);
    return true;
  });
  return out;
}

test('lines come out in order, byte for byte, across many wrap-arounds', () => {
  const ring = createRing(4096);
  const w = new RingWriter(ring);
  const r = new RingReader(ring);
  const model: string[] = [];
  let seed = 7;
  const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const alphabet = ['a', 'é', '€', '😀', '"', '\\', '\n'];
  for (let round = 0; round < 2000; round++) {
    if (rnd(3) > 0) {
      let s = '';
      const len = rnd(300);
      for (let i = 0; i < len; i++) s += alphabet[rnd(alphabet.length)];
      if (w.write(s)) model.push(s);
    } else {
      const got = readAll(r);
      assert.deepEqual(got, model.splice(0, got.length));
    }
  }
  assert.deepEqual(readAll(r), model);
});

test('a full ring refuses (nothing written) and accepts again once read', () => {
  const ring = createRing(1024);
  const w = new RingWriter(ring);
  const r = new RingReader(ring);
  const line = 'x'.repeat(100);
  let n = 0;
  while (w.write(line)) n++;
  assert.ok(n >= 7 && n <= 9, `wrote ${n} lines of 104 bytes into 1 KiB`);
  assert.ok(w.used() > 900);
  assert.equal(readAll(r).length, n);
  assert.ok(w.write(line));
  assert.deepEqual(readAll(r), [line]);
});

test('the reader can stop without consuming a line', () => {
  const ring = createRing(1024);
  const w = new RingWriter(ring);
  const r = new RingReader(ring);
  w.write('a');
  w.write('b');
  assert.equal(r.read(10, (l) => l === 'a'), 1);
  assert.deepEqual(readAll(r), ['b']);
  assert.ok(r.isEmpty());
});

test('the writer wakes an idle reader, and not a busy one', () => {
  const ring = createRing(1024);
  const w = new RingWriter(ring);
  const ctl = new Int32Array(ring.ctl);
  w.write('a');
  assert.equal(Atomics.load(ctl, CTL_SLEEP), 0);
  Atomics.store(ctl, CTL_SLEEP, SLEEP_IDLE);
  w.write('b');
  assert.equal(Atomics.load(ctl, CTL_SLEEP), 0, 'an idle reader is woken (flag reset + notify)');
});

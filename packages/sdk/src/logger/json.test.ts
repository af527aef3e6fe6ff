import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anyValue, num, str, strArray } from './json.js';

test('str matches JSON.stringify for strings under the limit', () => {
  const samples = ['', 'plain', 'job-0123456789abcdef', 'with "quotes"', 'back\\slash', 'ctl\u0001\u001f', 'nl\n', '🎨', 'a\u2028b', 'x'.repeat(500)];
  for (const s of samples) assert.equal(str(s, 1000), JSON.stringify(s), JSON.stringify(s));
  for (let c = 0; c < 0x10000; c += 7) {
    const s = 'a' + String.fromCharCode(c) + 'b';
    assert.equal(str(s, 100), JSON.stringify(s), `char ${c}`);
  }
});

test('str cuts long strings', () => {
  assert.equal(str('abcdef', 3), '"abc…[truncated]"');
});

test('num: non-finite numbers become null', () => {
  assert.equal(num(1.5), '1.5');
  assert.equal(num(-0), '0');
  assert.equal(num(NaN), 'null');
  assert.equal(num(Infinity), 'null');
});

test('anyValue covers every type', () => {
  assert.equal(anyValue('s', 10), '"s"');
  assert.equal(anyValue(1, 10), '1');
  assert.equal(anyValue(false, 10), 'false');
  assert.equal(anyValue(2n ** 70n, 10), '"1180591620717411303424"');
  assert.equal(anyValue(null, 10), 'null');
  assert.equal(anyValue(undefined, 10), undefined);
  assert.equal(anyValue(() => 1, 10), undefined);
  assert.equal(anyValue(Symbol('x'), 10), undefined);
  assert.equal(anyValue({ a: [1, { b: 2n }] }, 100), '{"a":[1,{"b":"2"}]}');
  const throwsOnJson = { toJSON(): never { throw new Error('nope'); } };
  assert.equal(anyValue(throwsOnJson, 100), '"[unserializable]"');
});

test('strArray', () => {
  assert.equal(strArray([], 10), '[]');
  assert.equal(strArray(['a', 'b"c'], 10), '["a","b\\"c"]');
});

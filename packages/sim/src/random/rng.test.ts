import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from './rng.js';
import { hashSeed } from './seed.js';
import { mean, quantile } from './stats.js';

const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

test('same seed, same stream; different seeds, different streams', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const xs = draw(100, () => a.next());
  assert.deepEqual(draw(100, () => b.next()), xs);
  assert.notDeepEqual(draw(100, () => c.next()), xs);
  assert.deepEqual(draw(10, () => createRng('demo').next()), draw(10, () => createRng('demo').next()));
});

test('string and number seeds hash to well-spread 32-bit seeds', () => {
  const seeds = new Set<number>();
  for (let i = 0; i < 1000; i++) seeds.add(hashSeed(`job-${i}`));
  assert.equal(seeds.size, 1000);
  assert.notEqual(hashSeed(1), hashSeed(2 ** 32 + 1));
  assert.equal(hashSeed(NaN), hashSeed(0));
  for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 32);
});

test('next/uniform/int stay in range and cover it', () => {
  const r = createRng(1);
  const xs = draw(20_000, () => r.next());
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(mean(xs) - 0.5) < 0.01);
  const u = draw(5000, () => r.uniform(-3, 7));
  assert.ok(u.every((x) => x >= -3 && x < 7));
  const ints = new Set(draw(5000, () => r.int(1, 6)));
  assert.deepEqual([...ints].sort(), [1, 2, 3, 4, 5, 6]);
});

test('normal has its mean and sd', () => {
  const r = createRng(7);
  const xs = draw(40_000, () => r.normal(10, 2));
  const m = mean(xs);
  const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
  assert.ok(Math.abs(m - 10) < 0.05, `mean ${m}`);
  assert.ok(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
});

test('lognormal: median as given, p95 = median·e^(1.645σ), always positive', () => {
  const r = createRng(9);
  const xs = draw(40_000, () => r.lognormal(1000, 0.5));
  assert.ok(xs.every((x) => x > 0));
  assert.ok(Math.abs(quantile(xs, 0.5) / 1000 - 1) < 0.03, `p50 ${quantile(xs, 0.5)}`);
  const p95 = 1000 * Math.exp(1.645 * 0.5);
  assert.ok(Math.abs(quantile(xs, 0.95) / p95 - 1) < 0.05, `p95 ${quantile(xs, 0.95)} vs ${p95}`);
});

test('chance, pick and weighted follow their probabilities', () => {
  const r = createRng(3);
  const hits = draw(20_000, () => (r.chance(0.03) ? 1 : 0));
  assert.ok(Math.abs(mean(hits) - 0.03) < 0.006);
  assert.equal(r.chance(0), false);
  assert.equal(r.chance(1), true);
  const counts = new Map<string, number>();
  for (let i = 0; i < 9000; i++) {
    const k = r.pick(['a', 'b', 'c'] as const);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const k of ['a', 'b', 'c']) assert.ok(Math.abs((counts.get(k) ?? 0) / 9000 - 1 / 3) < 0.03);
  assert.throws(() => r.pick([]), RangeError);
  const w = { x: 3, y: 1, z: 0 };
  const picks = draw(8000, () => (r.weighted(w) === 'x' ? 1 : 0));
  assert.ok(Math.abs(mean(picks) - 0.75) < 0.03);
  for (let i = 0; i < 1000; i++) assert.notEqual(r.weighted(w), 'z');
  assert.throws(() => r.weighted({ a: 0 }), RangeError);
});

test('fork: independent, reproducible sub-streams', () => {
  const root = createRng('fleet');
  const m1 = root.fork('machine-1');
  const m1again = createRng('fleet').fork('machine-1');
  const m2 = root.fork('machine-2');
  const a = draw(50, () => m1.next());
  assert.deepEqual(draw(50, () => m1again.next()), a);
  assert.notDeepEqual(draw(50, () => m2.next()), a);
  // forking does not consume the parent's stream
  const p1 = createRng('fleet');
  const p2 = createRng('fleet');
  p2.fork('x');
  assert.equal(p1.next(), p2.next());
});

test('hex and uuid are well formed', () => {
  const r = createRng(5);
  assert.match(r.hex(13), /^[0-9a-f]{13}$/);
  assert.match(r.hex(40), /^[0-9a-f]{40}$/);
  for (let i = 0; i < 100; i++) assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('quantile interpolates; empty is NaN', () => {
  assert.equal(quantile([3, 1, 2], 0.5), 2);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([5], 0.95), 5);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

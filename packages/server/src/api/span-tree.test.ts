import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSpanTree, flattenTree, treeToJson, type TreeSpan } from './span-tree.js';

const s = (spanId: string, parentSpanId: string, start: number, name = spanId): TreeSpan & { name: string } =>
  ({ spanId, parentSpanId, startTimeNs: String(1_700_000_000_000_000_000n + BigInt(start)), name });

test('parentage, depth and children sorted by start time', () => {
  const t = buildSpanTree([
    s('c2', 'b', 30), s('a', '', 0), s('c1', 'b', 20), s('b', 'a', 10), s('d', 'a', 5), s('e', 'c1', 25),
  ]);
  assert.equal(t.orphans, 0);
  assert.equal(t.spanCount, 6);
  assert.deepEqual(t.roots.map((r) => r.spanId), ['a']);
  const a = t.roots[0]!;
  assert.deepEqual(a.children.map((c) => c.spanId), ['d', 'b']);
  assert.deepEqual(a.children[1]!.children.map((c) => c.spanId), ['c1', 'c2']);
  assert.deepEqual(flattenTree(t.roots).map((n) => [n.spanId, n.depth]), [['a', 0], ['d', 1], ['b', 1], ['c1', 2], ['e', 3], ['c2', 2]]);
});

test('a span whose parent is missing is an orphan root; roots sorted by start', () => {
  const t = buildSpanTree([s('x', 'ffffffffffffffff', 50), s('a', '', 10), s('y', 'x', 60), s('z', '', 5)]);
  assert.deepEqual(t.roots.map((r) => r.spanId), ['z', 'a', 'x']);
  assert.equal(t.orphans, 1);
  assert.deepEqual(t.roots[2]!.children.map((c) => [c.spanId, c.depth]), [['y', 1]]);
});

test('ties in start time order by span id; huge nanosecond values compare exactly', () => {
  const base = '1700000000123456789';
  const t = buildSpanTree([
    { spanId: 'b', parentSpanId: '', startTimeNs: base }, { spanId: 'a', parentSpanId: '', startTimeNs: base },
    { spanId: 'c', parentSpanId: '', startTimeNs: '1700000000123456788' },
  ]);
  assert.deepEqual(t.roots.map((r) => r.spanId), ['c', 'a', 'b']);
});

test('duplicate span ids keep the first row; self-parents and cycles become orphan roots', () => {
  const t = buildSpanTree([
    s('a', '', 0, 'first'), s('a', '', 1, 'second'),
    s('self', 'self', 5),
    s('p', 'q', 10), s('q', 'p', 20), s('r', 'q', 30),
  ]);
  assert.equal(t.duplicates, 1);
  assert.equal(t.spanCount, 5);
  assert.equal((t.roots[0] as unknown as { name: string }).name, 'first');
  const flat = flattenTree(t.roots);
  assert.equal(flat.length, 5, 'every span exactly once');
  assert.deepEqual(new Set(flat.map((n) => n.spanId)).size, 5);
  assert.deepEqual(t.roots.map((r) => r.spanId), ['a', 'self', 'p']);
  assert.equal(t.orphans, 2);
  assert.deepEqual(flat.map((n) => [n.spanId, n.depth]), [['a', 0], ['self', 0], ['p', 0], ['q', 1], ['r', 2]]);
});

test('a chain of 20,000 spans builds without recursion and serializes', () => {
  const spans = Array.from({ length: 20_000 }, (_, i) => s(`s${i}`, i === 0 ? '' : `s${i - 1}`, i));
  const t = buildSpanTree(spans.reverse());
  assert.equal(t.roots.length, 1);
  const flat = flattenTree(t.roots);
  assert.equal(flat[flat.length - 1]!.depth, 19_999);
  assert.throws(() => JSON.stringify(t.roots), RangeError, 'why treeToJson exists');
  let n = (JSON.parse(treeToJson(t.roots)) as { spanId: string; children: unknown[] }[])[0]!;
  let depth = 0;
  while (n.children.length > 0) { n = n.children[0] as typeof n; depth++; }
  assert.equal(depth, 19_999);
  assert.equal(n.spanId, 's19999');
});

test('treeToJson equals JSON.stringify on ordinary trees', () => {
  const t = buildSpanTree([s('a', '', 0), s('b', 'a', 1), s('c', 'a', 2), s('d', 'c', 3), s('o', 'zz', 4), s('e', '', 5)]);
  assert.equal(treeToJson(t.roots), JSON.stringify(t.roots));
  assert.equal(treeToJson([]), '[]');
  const withEmpty = [{ ...t.roots[0]!, children: [] }];
  assert.equal(treeToJson(withEmpty), JSON.stringify(withEmpty));
});

test('empty input', () => {
  assert.deepEqual(buildSpanTree([]), { roots: [], orphans: 0, duplicates: 0, spanCount: 0 });
});

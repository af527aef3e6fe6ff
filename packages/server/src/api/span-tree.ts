/**
 * A trace's spans (flat, any order) → a tree for the waterfall. Pure.
 *
 * - A span whose parentSpanId is empty is a root.
 * - A span whose parent is not among the spans (not sent, sampled out, still
 *   in flight, or cut by the read bound) is an orphan: listed as a root and
 *   counted in `orphans`.
 * - Children and roots are sorted by start time (then span id, so the order
 *   is stable). `depth` is 0 for roots.
 * - A span id seen twice keeps its first row (the rest are counted in
 *   `duplicates`); spans caught in a parent cycle (malformed data) are
 *   broken out as orphan roots, so every span appears exactly once.
 *
 * Iterative throughout, serialization included (JSON.stringify recurses
 * and throws past ~2,500 levels): a chain of 10,000 spans cannot overflow
 * the stack.
 */
import { depthFirst } from '@jobscope/core';

/** The least a span needs to be placed in a tree. */
export interface TreeSpan {
  spanId: string;
  parentSpanId: string;
  /** Start time in unix nanoseconds (decimal string). */
  startTimeNs: string;
}

export type SpanNode<S extends TreeSpan> = S & { depth: number; children: SpanNode<S>[] };

export interface SpanTree<S extends TreeSpan> {
  roots: SpanNode<S>[];
  /** Roots that name a parent which is not in the trace. */
  orphans: number;
  /** Rows dropped because their span id was already seen. */
  duplicates: number;
  /** Nodes in the tree (= input spans − duplicates). */
  spanCount: number;
}

const byStart = <S extends TreeSpan>(a: SpanNode<S>, b: SpanNode<S>): number => {
  const x = BigInt(a.startTimeNs || '0');
  const y = BigInt(b.startTimeNs || '0');
  if (x !== y) return x < y ? -1 : 1;
  return a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0;
};

export function buildSpanTree<S extends TreeSpan>(spans: readonly S[]): SpanTree<S> {
  const nodes = new Map<string, SpanNode<S>>();
  let duplicates = 0;
  for (const s of spans) {
    if (nodes.has(s.spanId)) { duplicates++; continue; }
    nodes.set(s.spanId, { ...s, depth: 0, children: [] });
  }
  const roots: SpanNode<S>[] = [];
  let orphans = 0;
  for (const n of nodes.values()) {
    const parent = n.parentSpanId && n.parentSpanId !== n.spanId ? nodes.get(n.parentSpanId) : undefined;
    if (parent) parent.children.push(n);
    else {
      roots.push(n);
      if (n.parentSpanId) orphans++;
    }
  }
  const placed = new Set<SpanNode<S>>();
  const place = (root: SpanNode<S>): void => {
    const stack: SpanNode<S>[] = [root];
    root.depth = 0;
    while (stack.length > 0) {
      const n = stack.pop()!;
      placed.add(n);
      n.children.sort(byStart);
      for (const c of n.children) {
        c.depth = n.depth + 1;
        stack.push(c);
      }
    }
  };
  roots.sort(byStart);
  for (const r of roots) place(r);
  if (placed.size < nodes.size) {
    // Parent cycles: unreachable from any root. Cut each cycle at its earliest span.
    const left = [...nodes.values()].filter((n) => !placed.has(n)).sort(byStart);
    for (const n of left) {
      if (placed.has(n)) continue;
      const parent = nodes.get(n.parentSpanId);
      if (parent) parent.children = parent.children.filter((c) => c !== n);
      roots.push(n);
      orphans++;
      place(n);
    }
    roots.sort(byStart);
  }
  return { roots, orphans, duplicates, spanCount: nodes.size };
}

/** Every node of the tree, depth first in display order (the waterfall's rows). */
export function flattenTree<S extends TreeSpan>(roots: readonly SpanNode<S>[]): SpanNode<S>[] {
  return depthFirst(roots);
}

/**
 * JSON of a forest without recursion: `[{…span, "children": [ … ]}, …]`,
 * identical to JSON.stringify(roots) for trees JSON.stringify can handle.
 */
export function treeToJson<S extends TreeSpan>(roots: readonly SpanNode<S>[]): string {
  const out: string[] = ['['];
  const stack: { list: readonly SpanNode<S>[]; i: number }[] = [{ list: roots, i: 0 }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.i >= f.list.length) {
      stack.pop();
      out.push(stack.length > 0 ? ']}' : ']');
      continue;
    }
    if (f.i > 0) out.push(',');
    const { children, ...rest } = f.list[f.i++]!;
    const head = JSON.stringify(rest);
    out.push(head.slice(0, -1), head.length > 2 ? ',"children":[' : '"children":[');
    stack.push({ list: children, i: 0 });
  }
  return out.join('');
}

/**
 * Small helpers shared across packages that have nothing to do with the
 * data model but must not be written twice: depth-first order of a tree
 * without recursion (trace trees can be thousands deep), and replacing one
 * marked block of a Markdown file (each benchmark owns a section of
 * docs/benchmarks.md between its own markers).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Every node, depth first in display order (children as given), without recursion. */
export function depthFirst<T extends { readonly children: readonly T[] }>(roots: readonly T[]): T[] {
  const out: T[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}

/** `doc` with the block from `start` to `end` (markers included) replaced by `block`, or `block` appended when absent. */
export function replaceMarkedBlock(doc: string, start: string, end: string, block: string): string {
  const a = doc.indexOf(start);
  const b = a < 0 ? -1 : doc.indexOf(end, a);
  if (a >= 0 && b >= 0) return doc.slice(0, a) + block + doc.slice(b + end.length);
  return doc + (doc === '' || doc.endsWith('\n\n') ? '' : doc.endsWith('\n') ? '\n' : '\n\n') + block + '\n';
}

/** replaceMarkedBlock on a file (created when missing). */
export function writeMarkedBlock(file: string, start: string, end: string, block: string): void {
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, replaceMarkedBlock(doc, start, end, block));
}

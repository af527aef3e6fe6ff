/**
 * The SDK's section of docs/benchmarks.md lives between two markers, so the
 * server's benchmark (which rewrites the rest of the file) and this one can
 * each regenerate their own part and leave the other untouched.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { replaceMarkedBlock } from '@jobscope/core';

export const SDK_START = '<!-- sdk-bench:start -->';
export const SDK_END = '<!-- sdk-bench:end -->';

/** `doc` with the section between the markers replaced by `body` (appended, with markers, when absent). */
export function replaceSection(doc: string, body: string): string {
  return replaceMarkedBlock(doc, SDK_START, SDK_END, `${SDK_START}\n${body.trim()}\n${SDK_END}`);
}

/** The section of `doc` with its markers, or '' when absent (for writers that rebuild the rest of the file). */
export function extractSection(doc: string): string {
  const a = doc.indexOf(SDK_START);
  const b = a < 0 ? -1 : doc.indexOf(SDK_END, a);
  return a >= 0 && b >= 0 ? doc.slice(a, b + SDK_END.length) : '';
}

export function writeSection(file: string, body: string): void {
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, replaceSection(doc, body));
}

/**
 * A trace (GET /api/traces/:id) as a text waterfall: one line per span, in
 * tree order, indented by depth, with a bar placed on the trace's time axis.
 *
 *   POST /api/jobs [server]            api        50.0 ms |██                      |
 *     enqueue jobs:pending [producer]  api        10.0 ms | ▌                      |
 *       process job [consumer]         worker    600.0 ms |  ███████████████       |
 *
 * Pure (no I/O): the command prints what this returns. Every string that
 * comes from telemetry goes through safe(), so a span name cannot drive the
 * terminal.
 */
import { depthFirst } from '@jobscope/core';
import { safe } from './format.js';

export interface WaterfallSpan {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  startTimeNs: string;
  durationMs: number;
  statusCode: string;
  statusMessage: string;
  depth: number;
  children: WaterfallSpan[];
}

export interface WaterfallTrace {
  traceId: string;
  startTime: string;
  durationMs: number;
  spanCount: number;
  services: string[];
  errorCount: number;
  orphans: number;
  truncated?: boolean;
  roots: WaterfallSpan[];
}

export interface WaterfallOptions {
  /** Total line width to aim for (default 120). */
  width?: number;
  /** ANSI colors (default false). */
  color?: boolean;
}

const MAX_INDENT_DEPTH = 24;
const MAX_LABEL = 60;
const MAX_SERVICE = 24;

export function formatDuration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m ${((ms - m * 60_000) / 1000).toFixed(1)}s`;
}

/** Display width in terminal cells: one per code point (span names are short and mostly ASCII). */
const cells = (s: string): number => [...s].length;
const cut = (s: string, n: number): string => (cells(s) <= n ? s : `${[...s].slice(0, n - 1).join('')}…`);
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - cells(s)));
const padStart = (s: string, n: number): string => ' '.repeat(Math.max(0, n - cells(s))) + s;

/** Spans in display order (depth first, children as given), without recursion. */
export function flatten(roots: readonly WaterfallSpan[]): WaterfallSpan[] {
  return depthFirst(roots);
}

/** The bar of one span: `width` cells, the span's part filled, at least one (thin) cell. */
export function bar(offsetMs: number, durationMs: number, totalMs: number, width: number): string {
  if (totalMs <= 0) return '█'.padEnd(width, ' ');
  const start = Math.min(width - 1, Math.max(0, Math.floor((offsetMs / totalMs) * width)));
  const len = (durationMs / totalMs) * width;
  const full = Math.min(width - start, Math.max(0, Math.round(len)));
  const body = full > 0 ? '█'.repeat(full) : '▏';
  return (' '.repeat(start) + body).padEnd(width, ' ').slice(0, width);
}

export function formatWaterfall(t: WaterfallTrace, opts: WaterfallOptions = {}): string {
  const width = Math.max(60, opts.width ?? 120);
  const paint = (code: number, s: string): string => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const rows = flatten(t.roots);
  const startNs = rows.reduce((min, r) => (BigInt(r.startTimeNs) < min ? BigInt(r.startTimeNs) : min), rows.length > 0 ? BigInt(rows[0]!.startTimeNs) : 0n);
  const label = (r: WaterfallSpan): string => {
    const indent = '  '.repeat(Math.min(r.depth, MAX_INDENT_DEPTH)) + (r.depth > MAX_INDENT_DEPTH ? `…${r.depth} ` : '');
    const mark = r.statusCode === 'Error' ? '✗ ' : '';
    const kind = r.kind && r.kind !== 'Internal' && r.kind !== 'Unspecified' ? ` [${r.kind.toLowerCase()}]` : '';
    return cut(`${indent}${mark}${safe(r.name)}${safe(kind)}`, MAX_LABEL);
  };
  const labels = rows.map(label);
  const labelW = Math.max(4, ...labels.map(cells));
  const serviceW = Math.min(MAX_SERVICE, Math.max(7, ...rows.map((r) => cells(safe(r.serviceName)))));
  const durW = 10;
  const barW = Math.max(10, width - labelW - serviceW - durW - 6);

  const s = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const head = [
    `trace ${safe(t.traceId)}  ${safe(t.startTime)}  ${formatDuration(t.durationMs)}`,
    `  ${s(t.spanCount, 'span')}, ${s(t.services.length, 'service')} (${t.services.map(safe).join(', ')})` +
      `, ${t.errorCount > 0 ? paint(31, s(t.errorCount, 'error')) : '0 errors'}` +
      (t.orphans > 0 ? `, ${s(t.orphans, 'orphan')} (parent not in the trace)` : ''),
  ];
  if (t.truncated) head.push(paint(33, `  truncated: only the first ${t.spanCount} spans were read`));
  const axis = `${pad('span', labelW)}  ${pad('service', serviceW)}  ${padStart('duration', durW)}  ` +
    `${pad('0', Math.floor(barW / 2))}${padStart(formatDuration(t.durationMs), barW - Math.floor(barW / 2))}`;
  const lines = [...head, '', paint(90, axis)];
  rows.forEach((r, i) => {
    const offsetMs = Number(BigInt(r.startTimeNs) - startNs) / 1e6;
    const err = r.statusCode === 'Error';
    const orphan = r.depth === 0 && r.parentSpanId !== '';
    const tail = [
      err && r.statusMessage ? paint(31, safe(r.statusMessage)) : '',
      orphan ? paint(33, `orphan: parent ${safe(r.parentSpanId)} not in the trace`) : '',
    ].filter(Boolean).join('  ');
    const name = pad(labels[i]!, labelW);
    lines.push(`${err ? paint(31, name) : name}  ${paint(36, pad(cut(safe(r.serviceName), serviceW), serviceW))}  ` +
      `${padStart(formatDuration(r.durationMs), durW)}  ${paint(err ? 31 : 32, bar(offsetMs, r.durationMs, t.durationMs, barW))}` +
      (tail ? `  ${tail}` : ''));
  });
  return lines.map((l) => l.trimEnd()).join('\n') + '\n';
}

/**
 * The web UI benchmark's section of docs/benchmarks.md, between its own
 * markers (the server's run keeps every `<!-- NAME-bench:… -->` section).
 */
import { writeMarkedBlock } from '@jobscope/core';
// The server benchmark's statistics (its package exports no bench entry point: imported from its build).
import { median, quantile } from '@jobscope/server/bench';

export const UI_START = '<!-- ui-bench:start -->';
export const UI_END = '<!-- ui-bench:end -->';

/** One API call the page made before it was ready: the browser's Resource Timing, and the storage time inside the server. */
export interface ApiCall { path: string; ttfbMs: number; totalMs: number; startMs: number; endMs: number }

export interface UiCaseResult {
  name: string;
  url: string;
  /** Rows of the store the view's query matches ('' when not a search). */
  matches: string;
  /** Navigation start → `document.body.dataset.ready` set (performance.now() in the page), per run. */
  readyMs: number[];
  /** page.goto() called → ready seen by the test driver, per run. */
  gotoMs: number[];
  /** Per run: navigation start → the first API call's start (the page and its script loaded, the app started). */
  bootMs: number[];
  /** Per run: the first API call's start → the last one's response end. */
  apiMs: number[];
  /** Per run: the last API response's end → ready (the app's processing and rendering). */
  renderMs: number[];
  /** Per run: the API calls started before ready. */
  calls: ApiCall[][];
  /** Per run: the server's storage time for those calls (first query's start to last one's end). */
  storeMs: number[];
}

export interface UiBenchResult {
  date: string;
  machine: string;
  browser: string;
  command: string;
  rows: number;
  lifecycleRows: number;
  jobs: number;
  loadSeconds: number;
  runs: number;
  cases: UiCaseResult[];
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : int(n)} ms` : '–');
const size = (n: number): string => (n >= 1e6 ? `${+(n / 1e6).toFixed(2)} million` : int(n));

/** "/api/logs 12 ms, /api/stats 40 ms": each path the page called before ready, with its median time to first byte over the runs that called it. */
function callsSummary(c: UiCaseResult): string {
  const byPath = new Map<string, number[]>();
  for (const run of c.calls) {
    const slowest = new Map<string, number>();
    for (const call of run) slowest.set(call.path, Math.max(slowest.get(call.path) ?? 0, call.ttfbMs));
    for (const [path, t] of slowest) byPath.set(path, [...(byPath.get(path) ?? []), t]);
  }
  if (byPath.size === 0) return '–';
  const runs = c.calls.length;
  return [...byPath].map(([path, t]) => `${path} ${ms(median(t))}${t.length < runs ? ` (${t.length}/${runs} runs)` : ''}`).join(', ');
}

export function renderUiSection(r: UiBenchResult): string {
  const out = [
    UI_START,
    '## Web UI in a browser (issue #7)', '',
    `${r.date} · ${r.machine} · ${r.browser} · \`${r.command}\` · ${size(r.rows)} log rows + ${int(r.lifecycleRows)} job_submitted events (${int(r.jobs)} jobs) over 24 h · ${r.runs} runs per view after one warm-up`, '',
    'Each view is opened in a new tab of headless Chromium (`/usr/bin/chromium`, playwright-core) against a Jobscope server with embedded ClickHouse serving the built UI. '
    + 'The rows are the server benchmark\'s generated job logs (packages/server/src/bench/data.ts), bulk-loaded into the store, plus a `job_submitted` event per job sent through OTLP/HTTP, then merges are let settle. '
    + '**Ready** is the time from the navigation\'s start to the moment the page sets `document.body.dataset.ready` (the app does so once it has drawn its first data; measured in the page with `performance.now()` by a MutationObserver), '
    + 'so it includes loading the page and its script (from the HTTP cache after the warm-up), the API calls and rendering. '
    + 'It is split into **boot** (navigation start → the first API call: the page, its script, the app starting), **API** (→ the last API response\'s end) and **render** (→ ready). '
    + 'The **API calls** column lists the calls made before ready, each with its median time to first byte in the browser\'s Resource Timing (the server\'s time plus a loopback round trip; calls made at once wait for each other in the store); '
    + '**storage** is the time inside the server\'s store for those calls, from the first query\'s start to the last one\'s end. '
    + `Loading the rows took ${r.loadSeconds.toFixed(0)} s (not measured here; see the server's benchmark).`, '',
    '| view | URL | rows matched | ready, median | ready, p95 | of which boot / API / render, medians | API calls before ready: TTFB, median | storage, median | storage, p95 |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.cases.map((c) => `| ${c.name} | \`${c.url}\` | ${c.matches || '–'} | **${ms(median(c.readyMs))}** | ${ms(quantile(c.readyMs, 0.95))} | ${ms(median(c.bootMs))} / ${ms(median(c.apiMs))} / ${ms(median(c.renderMs))} | ${callsSummary(c)} | ${ms(median(c.storeMs))} | ${ms(quantile(c.storeMs, 0.95))} |`),
    '',
    UI_END,
  ];
  return out.join('\n');
}

export function writeUiSection(file: string, block: string): void {
  writeMarkedBlock(file, UI_START, UI_END, block);
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderUiSection, UI_END, UI_START, writeUiSection, type ApiCall, type UiBenchResult } from './report.js';

const call = (path: string, ttfbMs: number): ApiCall => ({ path, ttfbMs, totalMs: ttfbMs + 1, startMs: 10, endMs: 11 + ttfbMs });

const result: UiBenchResult = {
  date: '2026-01-02', machine: '2 cores', browser: 'Chromium 1', command: 'node run.js --quick', rows: 1_000_000,
  lifecycleRows: 91_446, jobs: 91_446, loadSeconds: 42, runs: 3,
  cases: [
    {
      name: 'overview, 24 h', url: '/?from=now-24h', matches: '', readyMs: [300, 100, 200], gotoMs: [310, 110, 210], bootMs: [50, 40, 60], apiMs: [80, 70, 90], renderMs: [20, 30, 25],
      calls: [[call('/api/overview', 80)], [call('/api/overview', 60)], [call('/api/overview', 70)]],
      storeMs: [50, 40, 45],
    },
    {
      name: 'logs search', url: '/logs?q=x', matches: '374', readyMs: [20, 30, 40], gotoMs: [25, 35, 45], bootMs: [5, 6, 7], apiMs: [8, 9, 10], renderMs: [1, 2, 3],
      calls: [[call('/api/logs', 5), call('/api/stats', 9)], [call('/api/logs', 7)], [call('/api/logs', 6), call('/api/stats', 11)]], storeMs: [4, 5, 6],
    },
  ],
};

test('the ui-bench section: markers, one row per view with medians and p95', () => {
  const s = renderUiSection(result);
  assert.ok(s.startsWith(UI_START) && s.endsWith(UI_END));
  assert.match(s, /1 million log rows \+ 91,446 job_submitted events/);
  assert.match(s, /\| overview, 24 h \| `\/\?from=now-24h` \| – \| \*\*200 ms\*\* \| 290 ms \| 50 ms \/ 80 ms \/ 25 ms \| \/api\/overview 70 ms \| 45 ms \| 50 ms \|/);
  assert.match(s, /\| logs search \| `\/logs\?q=x` \| 374 \| \*\*30 ms\*\* \| 39 ms \| 6.0 ms \/ 9.0 ms \/ 2.0 ms \| \/api\/logs 6.0 ms, \/api\/stats 10 ms \(2\/3 runs\) \| 5.0 ms \| 5.9 ms \|/);
});

test('writing the section replaces only its block', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ui-bench-report-'));
  try {
    const file = join(dir, 'benchmarks.md');
    writeFileSync(file, `# Benchmarks\n\nbefore\n\n${UI_START}\nold\n${UI_END}\n\nafter\n`);
    writeUiSection(file, renderUiSection(result));
    const doc = readFileSync(file, 'utf8');
    assert.match(doc, /^# Benchmarks\n\nbefore\n\n<!-- ui-bench:start -->\n## Web UI in a browser/);
    assert.ok(doc.includes('\nafter\n') && !doc.includes('\nold\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Every page of the web UI, in Chromium, against a server filled by the
 * simulated fleet: it loads with no console or page error, reaches `ready`
 * (CONTRACT.md) and shows data — numbers in the overview's stats, rows in
 * the lists, the known job's timeline, the known trace's spans.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from '../testing/suite.js';
import type { UiPage } from '../testing/browser.js';
import { JOB_STATUSES } from '@jobscope/core';

const s = browserSuite();

const ms = (n: number): string => `${Math.round(n)} ms`;

async function present(p: UiPage, ids: string[]): Promise<void> {
  for (const id of ids) assert.ok(await p.count(id) > 0, `data-testid=${id} is on the page (${p.page.url()})`);
}

async function attrs(p: UiPage, testId: string, attr: string): Promise<string[]> {
  const els = await p.page.getByTestId(testId).all();
  return await Promise.all(els.map(async (e) => (await e.getAttribute(attr)) ?? ''));
}

test('overview: the jobs chart is drawn and the stats and tables have numbers', { timeout: 60_000 }, async (t) => {
  await s.page(async (p) => {
    t.diagnostic(`ready in ${ms(await p.goto('/', 'overview'))}`);
    await present(p, ['nav-overview', 'nav-jobs', 'nav-logs', 'nav-machines', 'time-range',
      'chart-jobs', 'stat-failure-rate', 'stat-in-flight', 'table-durations', 'table-errors', 'stat-machines']);
    assert.ok(await p.page.locator('[data-testid="chart-jobs"] canvas').count() > 0, 'chart-jobs holds a uPlot canvas');
    for (const id of ['stat-failure-rate', 'stat-in-flight', 'stat-machines']) {
      assert.match(await p.text(id), /\d/, `${id} shows a number`);
    }
    assert.match(await p.text('stat-failure-rate'), /%/, 'the failure rate is a percentage');
    const durations = await p.text('table-durations');
    assert.match(durations, /comfyui/, 'durations by service type list comfyui');
    assert.match(durations, /\d/, 'durations have numbers');
    assert.match(await p.text('table-errors'), /memory|validation/, 'the top errors include the fleet\'s GPU OOM (memory) or the known job\'s validation error');
  });
});

test('overview: the time range is in the URL and a shared URL gives the same range', { timeout: 60_000 }, async () => {
  await s.page(async (p) => {
    await p.goto('/?from=now-15m', 'overview');
    assert.match(await p.text('time-range'), /15/, 'the picker shows the 15 minutes of the URL');
    assert.match(await p.text('stat-machines'), /\d/);
  });
});

test('jobs: the list has rows with job ids, and the filters are in the URL', { timeout: 60_000 }, async (t) => {
  await s.page(async (p) => {
    t.diagnostic(`ready in ${ms(await p.goto('/jobs', 'jobs'))}`);
    await present(p, ['job-row', 'filter-status', 'filter-service-type', 'search-input', 'time-range']);
    const ids = await attrs(p, 'job-row', 'data-job-id');
    assert.ok(ids.length >= 5, `job rows drawn (${ids.length})`);
    assert.ok(ids.every((id) => id.length > 0), 'every job-row has data-job-id');
    // the status filter offers every job status the server knows, pending and unworkable included
    assert.deepEqual(await attrs(p, 'filter-status-option', 'value'), [...JOB_STATUSES]);
    // a filtered view from its URL: the known running comfyui job is in progress
    await p.goto('/jobs?status=in_progress&service_type=comfyui', 'jobs');
    const running = await attrs(p, 'job-row', 'data-job-id');
    assert.ok(running.includes(s.env.known.runningJobId), `the running job ${s.env.known.runningJobId} is listed under in_progress (rows: ${running.slice(0, 10).join(', ')})`);
    assert.ok(!running.includes(s.env.known.jobId), 'the completed job is not');
  });
});

test('job page: status, attempts, timeline of events, logs and spans, waterfall and links', { timeout: 60_000 }, async (t) => {
  const k = s.env.known;
  await s.page(async (p) => {
    t.diagnostic(`ready in ${ms(await p.goto(`/jobs/${k.jobId}`, 'job'))}`);
    await present(p, ['job-status', 'job-attempts', 'job-timeline', 'timeline-row', 'waterfall', 'span-row', 'link-trace', 'link-logs', 'machine-jobs']);
    assert.match(await p.text('job-status'), /completed/i);
    assert.match(await p.text('job-attempts'), /1/);
    const kinds = await attrs(p, 'timeline-row', 'data-kind');
    const n = (k: string): number => kinds.filter((x) => x === k).length;
    assert.equal(n('event'), k.jobEvents.length, `the ${k.jobEvents.length} lifecycle events (kinds: ${kinds.join(',')})`);
    assert.equal(n('log'), k.jobLogLines, 'the log lines');
    assert.equal(n('span'), 3, 'the 3 spans of its trace');
    assert.match(await p.text('job-timeline'), new RegExp(`loaded model sdxl-base-1.0 in 812 ms ${k.token}`));
    assert.equal(await p.count('span-row'), 3, 'the waterfall has the trace\'s 3 spans');
    const traceHref = await p.page.getByTestId('link-trace').first().getAttribute('href');
    assert.ok(traceHref?.endsWith(`/traces/${k.traceId}`), `link-trace opens the job's trace (${traceHref})`);
    const logsHref = (await p.page.getByTestId('link-logs').first().getAttribute('href')) ?? '';
    assert.match(decodeURIComponent(logsHref), new RegExp(`^/logs\\?.*${k.jobId}`), `link-logs searches the job's logs (${logsHref})`);
  });
});

test('logs: rows, the volume chart and facets', { timeout: 60_000 }, async (t) => {
  await s.page(async (p) => {
    t.diagnostic(`ready in ${ms(await p.goto('/logs', 'logs'))}`);
    await present(p, ['search-input', 'time-range', 'volume-chart', 'log-row', 'log-message', 'live-toggle', 'facet-level']);
    assert.ok(await p.count('log-row') >= 10, `log rows drawn (${await p.count('log-row')})`);
    assert.ok(await p.page.locator('[data-testid="volume-chart"] canvas').count() > 0, 'volume-chart holds a uPlot canvas');
    const levels = await p.page.getByTestId('facet-level').getByTestId('facet-value').allInnerTexts();
    assert.ok(levels.some((v) => /info/i.test(v)), `the level facet lists info (${levels.join(' | ')})`);
    assert.ok(levels.some((v) => /\d/.test(v)), 'facet values have counts');
  });
});

test('logs: a facet value narrows the search and is in the URL', { timeout: 60_000 }, async () => {
  await s.page(async (p) => {
    await p.goto('/logs', 'logs');
    const error = p.page.getByTestId('facet-level').getByTestId('facet-value').filter({ hasText: /error/i }).first();
    await error.click();
    await p.page.waitForURL((u) => /level/.test(decodeURIComponent(u.search)), { timeout: 10_000 });
    await p.page.waitForFunction(`(() => { const r = [...document.querySelectorAll('[data-testid="log-row"]')]; return r.length > 0 && r.every((e) => /error/i.test(e.innerText)); })()`, undefined, { timeout: 10_000 });
  });
});

test('trace page: the known trace\'s waterfall, and span details on click', { timeout: 60_000 }, async (t) => {
  const k = s.env.known;
  await s.page(async (p) => {
    t.diagnostic(`ready in ${ms(await p.goto(`/traces/${k.traceId}`, 'trace'))}`);
    await present(p, ['waterfall', 'span-row']);
    const rows = await p.page.getByTestId('span-row').allInnerTexts();
    assert.equal(rows.length, 3, `3 spans (${rows.join(' | ')})`);
    for (const name of ['POST /api/jobs', 'job.process', 'comfyui.prompt']) assert.ok(rows.some((r) => r.includes(name)), `span ${name}`);
    await p.page.getByTestId('span-row').filter({ hasText: 'comfyui.prompt' }).first().click();
    await p.page.getByTestId('span-details').first().waitFor({ state: 'visible', timeout: 5000 });
    assert.match(await p.text('span-details'), /comfyui\.prompt/);
  });
});

test('trace page: a trace of the fleet', { timeout: 60_000 }, async (t) => {
  await s.page(async (p) => {
    t.diagnostic(`trace ${s.env.demoTraceId}: ready in ${ms(await p.goto(`/traces/${s.env.demoTraceId}`, 'trace'))}`);
    assert.ok(await p.count('span-row') >= 1, 'spans drawn');
  });
});

test('machines: machines with their workers', { timeout: 60_000 }, async (t) => {
  await s.page(async (p) => {
    t.diagnostic(`ready in ${ms(await p.goto('/machines', 'machines'))}`);
    await present(p, ['machine-row', 'worker-row', 'time-range']);
    const machines = await attrs(p, 'machine-row', 'data-machine-id');
    for (const m of ['machine-01', 'machine-02', 'machine-03']) assert.ok(machines.includes(m), `${m} listed (${machines.join(', ')})`);
    assert.ok(await p.count('worker-row') >= 6, `the fleet's workers (${await p.count('worker-row')})`);
  });
});

test('navigation: the nav links open each page, and ready follows', { timeout: 90_000 }, async () => {
  await s.page(async (p) => {
    await p.goto('/', 'overview');
    for (const [nav, name, path] of [['nav-jobs', 'jobs', '/jobs'], ['nav-logs', 'logs', '/logs'], ['nav-machines', 'machines', '/machines'], ['nav-overview', 'overview', '/']] as const) {
      await p.page.getByTestId(nav).first().click();
      await p.waitReady(name);
      assert.equal(new URL(p.page.url()).pathname, path, `${nav} opens ${path}`);
    }
  });
});

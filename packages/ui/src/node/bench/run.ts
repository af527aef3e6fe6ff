/**
 * The web UI's benchmark (issue #7), in a browser:
 *
 *   node packages/ui/dist/node/bench/run.js [--quick] [--out docs/benchmarks.md]
 *   (or `npm run bench -- --only ui [--quick]`)
 *   env: BENCH_UI_ROWS (default 1,000,000; 100,000 with --quick),
 *        BENCH_UI_RUNS (default 10; 2 with --quick)
 *
 * A Jobscope server (embedded ClickHouse in a temporary directory, the built
 * UI at /) gets BENCH_UI_ROWS generated job-log rows over the last 24 h —
 * the server benchmark's generator and bulk loader (packages/server/src/bench
 * data.ts, prepare.ts), straight into its store — and a `job_submitted`
 * event per job through OTLP/HTTP, so the overview has jobs. Then Chromium
 * opens each view several times and the page itself says when it was ready
 * (navigation start → `document.body.dataset.ready`); the API calls made
 * before that come from the browser's Resource Timing, the storage time from
 * the server's store. Prints the section; writes it between the ui-bench
 * markers of --out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig, Store } from '@jobscope/server';
import { count, logRecord, logsRequest, postLogs, startTestServer, type TestServer } from '@jobscope/server/testkit';
// The server benchmark's data generator and bulk loader (the server package exports no bench entry point: imported from its build).
import { envInt, generateRequests, RARE_TOKEN, rowBatches, timeStoreQueries, type DataOptions, type QueryTiming } from '@jobscope/server/bench';
import { uiBuilt, uiPublicDir } from '../index.js';
import { launchBrowser, UiPage, type PageName } from '../testing/browser.js';
import { renderUiSection, writeUiSection, type ApiCall, type UiCaseResult } from './report.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const outAt = argv.indexOf('--out');
const OUT = outAt >= 0 && argv[outAt + 1] ? resolve(argv[outAt + 1]!) : undefined;


const ROWS = envInt('BENCH_UI_ROWS', QUICK ? 100_000 : 1_000_000);
const RUNS = envInt('BENCH_UI_RUNS', QUICK ? 2 : 10);
const BATCH_ROWS = 100_000;

const log = (m: string): void => void process.stderr.write(`[ui-bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

interface Case { name: string; url: string; page: PageName; q?: string }

const CASES: Case[] = [
  { name: 'overview, 24 h', url: '/?from=now-24h', page: 'overview' },
  { name: 'jobs list, 24 h', url: '/jobs?from=now-24h', page: 'jobs' },
  { name: 'logs search, a rare word', url: `/logs?q=${RARE_TOKEN}&from=now-24h`, page: 'logs', q: RARE_TOKEN },
  { name: 'logs search, a few hundred matches', url: `/logs?q=${encodeURIComponent('"returned HTTP 503"')}&from=now-24h`, page: 'logs', q: '"returned HTTP 503"' },
  { name: 'logs search, most rows match', url: `/logs?q=${encodeURIComponent('level:info')}&from=now-24h`, page: 'logs', q: 'level:info' },
];

/** Records, in the page, when `data-ready` is first set (before the app's own scripts run). */
const READY_OBSERVER = `(() => {
  const seen = () => {
    const v = document.body && document.body.dataset.ready;
    if (v && !window.__uiReady) window.__uiReady = { page: v, at: performance.now() };
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})()`;

/** The API calls the page started before it was ready, from Resource Timing. */
const API_CALLS = `(() => {
  const ready = window.__uiReady ? window.__uiReady.at : Infinity;
  return performance.getEntriesByType('resource')
    .filter((e) => new URL(e.name).pathname.startsWith('/api/') && e.startTime <= ready)
    .map((e) => ({ path: new URL(e.name).pathname, ttfbMs: e.responseStart - e.requestStart, totalMs: e.responseEnd - e.startTime, startMs: e.startTime, endMs: e.responseEnd }));
})()`;

/** A job_submitted event per job of the generated data (its job_received, 0.5–30 s earlier), sent through OTLP/HTTP. */
async function sendSubmitted(url: string, data: DataOptions): Promise<number> {
  let batch: ReturnType<typeof logRecord>[] = [];
  let sent = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const r = await postLogs(url, logsRequest(batch, { 'service.name': 'api-server', machine_id: 'api-server' }));
    if (r.status !== 200) throw new Error(`POST /v1/logs answered ${r.status}: ${await r.text()}`);
    sent += batch.length;
    batch = [];
  };
  for (const g of generateRequests(data)) {
    for (const rl of g.req.resourceLogs) {
      const serviceType = String(rl.resource.attributes.service_type ?? '');
      for (const sl of rl.scopeLogs) {
        for (const rec of sl.logRecords) {
          if (rec.attributes.event_type !== 'job_received') continue;
          const id = String(rec.attributes.job_id);
          const waitMs = 500 + ((sent + batch.length) * 7919) % 29_500;
          batch.push(logRecord({
            timeUnixNano: (BigInt(rec.timeUnixNano) - BigInt(waitMs) * 1_000_000n).toString(),
            body: `job ${id} submitted to queue default`,
            attrs: { job_id: id, event_type: 'job_submitted', service_type: serviceType, model: String(rec.attributes.model ?? '') },
          }));
          if (batch.length >= 5000) await flush();
        }
      }
    }
  }
  await flush();
  return sent;
}

async function waitForMerges(store: Store, maxSeconds: number): Promise<void> {
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < maxSeconds) {
    const [r] = await store.query<{ n: number }>('SELECT count() AS n FROM system.merges');
    if (Number(r?.n ?? 0) === 0) return;
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** Rows a search matches over 24 h, counted by the server (/api/stats). */
async function matches(url: string, q: string): Promise<number> {
  const r = await fetch(`${url}/api/stats?q=${encodeURIComponent(q)}&from=now-24h&interval=1h`);
  if (r.status !== 200) throw new Error(`/api/stats answered ${r.status}: ${await r.text()}`);
  return ((await r.json()) as { buckets: { count: number }[] }).buckets.reduce((n, b) => n + Number(b.count), 0);
}

async function fill(test: TestServer): Promise<{ rows: number; submitted: number; loadSeconds: number }> {
  const now = Date.now();
  // 23 h 50 min ago to 5 min ago, as the server benchmark: `from=now-24h` covers it all
  const data: DataOptions = { total: ROWS, seed: 1234, startMs: now - 23 * 3_600_000 - 50 * 60_000, spanMs: 23 * 3_600_000 + 45 * 60_000 };
  const t0 = performance.now();
  let rows = 0;
  for (const b of rowBatches(data, BATCH_ROWS)) {
    await test.server.store.insert('otel_logs', b.data);
    rows += b.rows;
    if (rows % 500_000 < b.rows) log(`loaded ${rows.toLocaleString('en-US')} rows`);
  }
  log(`loaded ${rows.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; sending job_submitted events`);
  const submitted = await sendSubmitted(test.url, data);
  const deadline = performance.now() + 120_000;
  while (await count(test.server, "EventType = 'job_submitted'") < submitted) {
    if (performance.now() > deadline) throw new Error('the job_submitted events did not reach the store within 120 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  await waitForMerges(test.server.store, 120);
  return { rows, submitted, loadSeconds: (performance.now() - t0) / 1000 };
}

async function measure(browser: Awaited<ReturnType<typeof launchBrowser>>, url: string, c: Case, timings: QueryTiming[]): Promise<UiCaseResult> {
  const r: UiCaseResult = { name: c.name, url: c.url, matches: c.q ? (await matches(url, c.q)).toLocaleString('en-US') : '', readyMs: [], gotoMs: [], bootMs: [], apiMs: [], renderMs: [], calls: [], storeMs: [] };
  // one browser context per view: the script and styles come from its HTTP cache after the warm-up
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: READY_OBSERVER });
  try {
    for (let i = -1; i < RUNS; i++) {
      const p = new UiPage(context, await context.newPage(), url);
      try {
        timings.splice(0);
        const t = performance.now();
        const gotoMs = await p.goto(c.url, c.page, 60_000);
        const seen = performance.now();
        const ready = await p.eval<{ page: string; at: number } | undefined>('window.__uiReady');
        if (!ready || ready.page !== c.page) throw new Error(`the ready observer saw ${JSON.stringify(ready)}`);
        const calls = await p.eval<ApiCall[]>(API_CALLS);
        p.assertNoErrors();
        const mine = timings.filter((x) => x.start >= t && x.start <= seen);
        const store = mine.length ? Math.max(...mine.map((x) => x.start + x.ms)) - Math.min(...mine.map((x) => x.start)) : NaN;
        if (i < 0) continue; // warm-up
        r.readyMs.push(ready.at);
        r.gotoMs.push(gotoMs);
        const first = Math.min(...calls.map((x) => x.startMs));
        const last = Math.max(...calls.map((x) => x.endMs));
        r.bootMs.push(calls.length ? first : NaN);
        r.apiMs.push(calls.length ? last - first : NaN);
        r.renderMs.push(calls.length ? ready.at - last : NaN);
        r.calls.push(calls);
        r.storeMs.push(store);
      } finally {
        await p.page.close();
      }
    }
  } finally {
    await context.close();
  }
  return r;
}

async function main(): Promise<void> {
  if (!uiBuilt()) throw new Error(`the web UI is not built (${uiPublicDir()}index.html is missing): run \`npm run build\``);
  const browser = await launchBrowser();
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-ui-bench-'));
  let test: TestServer | undefined;
  const t0 = performance.now();
  try {
    const over: Partial<ServerConfig> & { uiDir: string } = { uiDir: uiPublicDir() };
    test = await startTestServer(over, dir);
    log(`server ${test.url}; loading ${ROWS.toLocaleString('en-US')} rows`);
    const filled = await fill(test);
    const timings: QueryTiming[] = [];
    timeStoreQueries(test.server.store, timings);
    const cases: UiCaseResult[] = [];
    for (const c of CASES) {
      log(`${c.name}: ${RUNS} runs of ${c.url}`);
      const r = await measure(browser, test.url, c, timings);
      const med = [...r.readyMs].sort((a, b) => a - b)[Math.floor(r.readyMs.length / 2)] ?? NaN;
      log(`  ready ${r.readyMs.map((x) => Math.round(x)).join(', ')} ms (≈ median ${Math.round(med)} ms)${r.matches ? `, ${r.matches} rows match` : ''}`);
      cases.push(r);
    }
    const commandArgs = argv.map((a, i) => (argv[i - 1] === '--out' ? relative(ROOT, resolve(a)) || a : a));
    const section = renderUiSection({
      date: new Date().toISOString().slice(0, 10),
      machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`,
      browser: `Chromium ${browser.version()}`,
      command: process.env.npm_lifecycle_event === 'bench'
        ? `npm run bench -- --only ui${QUICK ? ' --quick' : ''}`
        : `node packages/ui/dist/node/bench/run.js ${commandArgs.join(' ')}`.trim(),
      rows: filled.rows, lifecycleRows: filled.submitted, jobs: filled.submitted, loadSeconds: filled.loadSeconds, runs: RUNS, cases,
    });
    process.stdout.write(`${section}\n`);
    if (OUT) {
      writeUiSection(OUT, section);
      log(`wrote the ui-bench section of ${OUT}`);
    }
    log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await browser.close().catch(() => {});
    await test?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`[ui-bench] failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

/**
 * `npm run screenshots`: one PNG per page of the web UI in docs/screenshots/
 * (1440×900, Chromium), from a server filled by the simulated fleet — the
 * same one the browser tests use (testing/filled-server.ts) — and a README
 * listing them with the date and the command.
 *
 *   node packages/ui/dist/node/screenshots.js [--out DIR]
 *
 * Fails (exit 1) when a page does not reach `ready` or logs an error; the
 * other pages are still taken.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, withPage, type PageName } from './testing/browser.js';
import { startFilledServer, type FilledServer } from './testing/filled-server.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const VIEWPORT = { width: 1440, height: 900 };

interface Shot { file: string; title: string; path: (env: FilledServer) => string; ready: PageName; what: string; settleMs?: number }

const SHOTS: Shot[] = [
  { file: 'overview', title: 'Overview', path: () => '/?from=now-15m', ready: 'overview', what: 'jobs per minute (submitted, completed, failed), failure rate, jobs in flight, durations by service type and model, top errors, the fleet' },
  { file: 'jobs', title: 'Jobs', path: () => '/jobs', ready: 'jobs', what: 'the jobs of the last 24 h with status, service type, model, machine and duration; filters and search' },
  { file: 'job', title: 'Job page', path: (e) => `/jobs/${e.known.jobId}`, ready: 'job', what: 'one job: status, attempts, its timeline of events, log lines and spans, and the waterfall of its trace' },
  { file: 'logs', title: 'Logs explorer', path: () => '/logs', ready: 'logs', what: 'search with completion, volume chart, facets, the virtualized list of records' },
  { file: 'logs-live', title: 'Live tail', path: () => '/logs?live=1', ready: 'logs', what: 'the logs explorer with live=1: records as the server accepts them', settleMs: 4000 },
  { file: 'trace', title: 'Trace', path: (e) => `/traces/${e.demoTraceId}`, ready: 'trace', what: 'a trace of the fleet as a waterfall, with the details of a span' },
  { file: 'machines', title: 'Machines', path: () => '/machines', ready: 'machines', what: 'machines and their workers: status, last seen, current job, failure rate' },
];

const log = (m: string): void => void process.stderr.write(`[screenshots] ${m}\n`);

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 && argv[outAt + 1] ? resolve(argv[outAt + 1]!) : join(ROOT, 'docs/screenshots');
  mkdirSync(out, { recursive: true });
  const browser = await launchBrowser();
  let env: FilledServer | undefined;
  const failed: string[] = [];
  const urls = new Map<string, string>();
  try {
    log('starting a server filled by the simulated fleet…');
    // the fleet keeps running: the live tail and the "in flight" numbers have something to show; no XSS test job
    env = await startFilledServer({ keepDemo: true, xss: false, minFillMs: 60_000, log });
    const e = env;
    for (const shot of SHOTS) {
      try {
        const ms = await withPage(browser, e.url, async (p) => {
          const t = await p.goto(shot.path(e), shot.ready);
          if (shot.file === 'trace' && await p.count('span-row') > 1) {
            // open a span's details
            await p.page.getByTestId('span-row').nth(1).click();
            await p.page.getByTestId('span-details').first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
          }
          await p.page.waitForTimeout(shot.settleMs ?? 600); // charts finish drawing, fonts settle
          await p.page.screenshot({ path: join(out, `${shot.file}.png`), fullPage: false });
          return t;
        }, { viewport: VIEWPORT });
        urls.set(shot.file, shot.path(e));
        log(`${shot.file}.png (${shot.path(e)}, ready in ${Math.round(ms)} ms)`);
      } catch (err) {
        failed.push(shot.file);
        log(`${shot.file}: FAILED: ${(err as Error).message}`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await env?.close();
  }
  const date = new Date().toISOString().slice(0, 10);
  const rel = relative(ROOT, out) || '.';
  const lines = [
    '# Screenshots of the web UI',
    '',
    `Made by a script, not by hand: \`npm run screenshots\` (packages/ui/src/node/screenshots.ts) on ${date}.`,
    'It starts a server with embedded ClickHouse and the built UI, fills it with the simulated fleet',
    '(3 machines, real Redis, one agent per machine, the `gpu_oom` scenario, for a minute and on while the pictures are taken)',
    'plus a few known records (the job page shows one of them),',
    `and visits each page in Chromium at ${VIEWPORT.width}×${VIEWPORT.height}. Run it again after a UI change to keep these current.`,
    '',
    '| page | file | URL | what it shows |',
    '|---|---|---|---|',
    ...SHOTS.filter((s) => !failed.includes(s.file)).map((s) => `| ${s.title} | [${s.file}.png](${s.file}.png) | \`${urls.get(s.file) ?? ''}\` | ${s.what} |`),
    '',
    ...SHOTS.filter((s) => !failed.includes(s.file)).flatMap((s) => [`## ${s.title}`, '', `![${s.title}](${s.file}.png)`, '']),
  ];
  writeFileSync(join(out, 'README.md'), lines.join('\n'));
  log(`wrote ${SHOTS.length - failed.length} screenshots and README.md to ${rel}`);
  if (failed.length > 0) {
    log(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (e: unknown) => {
  process.stderr.write(`[screenshots] failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

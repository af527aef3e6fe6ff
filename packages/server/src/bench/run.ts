/**
 * `npm run bench`: issue #2's benchmark, written to docs/benchmarks.md.
 *
 *   node packages/server/dist/bench/run.js [--quick] [--out FILE]
 *        [--no-ingest] [--no-queries] [--no-profile]
 *   env: BENCH_ROWS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_QUERY_ROWS,
 *        BENCH_RUNS, BENCH_PROFILE_ROWS, BENCH_KEEP_PROFILE (copy the .cpuprofile here)
 *
 * Every measured server runs in a child process on its own temporary data
 * directory, removed afterwards. See docs/benchmarks.md for what each number means.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { profileIngest, runIngest, type IngestOptions } from './ingest.js';
import { runQueries } from './queries.js';
import { summarizeProfile } from './profile.js';
import { renderReport, type BenchSettings, type Machine, type Report } from './report.js';
import { Child } from './ipc.js';
import { envInt } from './env.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const quick = flag('--quick');
const outArg = args.indexOf('--out') >= 0 ? args[args.indexOf('--out') + 1] : undefined;
const out = outArg ? resolve(outArg) : quick ? undefined : join(ROOT, 'docs/benchmarks.md');


const settings: BenchSettings = {
  command: `${envPrefix()}npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
  ingestRows: envInt('BENCH_ROWS', quick ? 100_000 : 3_000_000),
  warmupRows: quick ? 10_000 : 50_000,
  rounds: envInt('BENCH_ROUNDS', quick ? 1 : 2),
  concurrency: envInt('BENCH_CONCURRENCY', 4),
  perRequest: [1000, 5000],
  directBatchRows: 100_000,
  queryRows: envInt('BENCH_QUERY_ROWS', quick ? 300_000 : 10_000_000),
  runs: envInt('BENCH_RUNS', quick ? 5 : 20),
  profileRows: envInt('BENCH_PROFILE_ROWS', quick ? 50_000 : 500_000),
};

function envPrefix(): string {
  const set = ['BENCH_ROWS', 'BENCH_ROUNDS', 'BENCH_CONCURRENCY', 'BENCH_QUERY_ROWS', 'BENCH_RUNS', 'BENCH_PROFILE_ROWS']
    .filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]} `);
  return set.join('');
}

const log = (m: string): void => { process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`); };

function chdbVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    let dir = dirname(req.resolve('chdb'));
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch { return 'unknown'; }
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch { return 'unknown'; }
}

async function engineVersion(): Promise<string> {
  const c = await Child.start('direct');
  try {
    const [r] = await c.call<{ v: string }[]>('query', { sql: 'SELECT version() AS v' });
    return r?.v ?? 'unknown';
  } finally {
    await c.stop();
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const machine: Machine = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? '?',
    memoryBytes: totalmem(), node: process.version, chdb: chdbVersion(), engine: await engineVersion(),
    os: `${type()} ${release()}`, commit: commit(), loadBefore: loadavg(), loadAfter: [],
  };
  log(`settings ${JSON.stringify(settings)}`);
  const report: Report = { machine, settings, seconds: 0 };
  const io: IngestOptions = {
    rows: settings.ingestRows, warmupRows: settings.warmupRows, concurrency: settings.concurrency,
    minPerRequest: settings.perRequest[0], maxPerRequest: settings.perRequest[1], directBatchRows: settings.directBatchRows, log,
  };
  if (!flag('--no-ingest')) report.ingest = await runIngest(io, settings.rounds);
  if (!flag('--no-queries')) {
    report.queries = await runQueries({ rows: settings.queryRows, runs: settings.runs, batchRows: settings.directBatchRows, log });
  }
  if (!flag('--no-profile')) {
    const dir = mkdtempSync(join(tmpdir(), 'jobscope-bench-prof-'));
    try {
      const file = join(dir, 'ingest.cpuprofile');
      log(`profile: ${settings.profileRows} records through the whole path under the CPU profiler`);
      await profileIngest(io, settings.profileRows, file);
      if (process.env.BENCH_KEEP_PROFILE) writeFileSync(process.env.BENCH_KEEP_PROFILE, readFileSync(file));
      report.profile = summarizeProfile(file, 15);
    } catch (err) {
      log(`profile failed, reporting without it: ${(err as Error).stack ?? (err as Error).message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  machine.loadAfter = loadavg();
  report.seconds = (performance.now() - t0) / 1000;
  const previous = out && existsSync(out) ? readFileSync(out, 'utf8') : '';
  const md = renderReport(report, previous);
  process.stdout.write(md);
  if (out) {
    writeFileSync(out, md);
    log(`wrote ${out}`);
  }
}

main().catch((err: Error) => {
  log(`failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});

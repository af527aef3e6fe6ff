/**
 * The SDK benchmark of issue #3, in one run:
 *   node packages/sdk/dist/bench/run.js [--quick] [--rounds N] [--out docs/benchmarks.md]
 *
 * 1. caller's cost of jobCompleted() with the real exporter (worker mode,
 *    real HTTP to a local sink), on the worker's thread;
 * 2. CPU per event, all threads, vs pino and winston to /dev/null (and the
 *    two Jobscope transports), each library in its own child process;
 * 3. event-loop delay p99 at 5,000 events/s vs the same worker silent;
 * 4. memory while the receiver is down (60 s; 15 s with --quick), nothing dropped.
 *
 * The receiver is the minimal HTTP sink of sink.ts (another process,
 * answers 200), not a Jobscope server: the server's own cost is the server
 * benchmark's subject, and on a small machine it would compete for the
 * cores being measured. Rounds interleave the libraries so that load from
 * elsewhere on the machine spreads over all of them; medians are reported.
 * Prints the markdown section; with --out, writes it between the
 * sdk-bench markers of that file (section.ts), leaving the rest untouched.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveOptions } from '../export/options.js';
import type { ChildConfig } from './child.js';
import { LIBS } from './libs.js';
import { render, type BenchResult, type CpuRun, type OutageRun, type WorkerRun } from './report.js';
import { writeSection } from './section.js';
import { startSink } from './sink.js';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const value = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

const QUICK = flag('quick');
const ROUNDS = Number(value('rounds') ?? (QUICK ? 1 : 3));
const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));
const SETTINGS = {
  cpuRate: 20_000,
  cpuEvents: QUICK ? 30_000 : 100_000,
  cpuWarm: QUICK ? 10_000 : 20_000,
  loopRate: 5_000,
  loopSeconds: QUICK ? 3 : 10,
  beforeSeconds: QUICK ? 4 : 10,
  outageSeconds: QUICK ? 15 : 60,
  afterSeconds: QUICK ? 3 : 5,
};

function runChild<T>(cfg: ChildConfig): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    p.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`bench child (${cfg.mode} ${cfg.lib}) exited ${code}: ${err.slice(0, 2000)}`));
      }
    });
  });
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

const log = (s: string): void => void process.stderr.write(`[sdk-bench] ${s}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const load0 = loadavg();
  const tmp = mkdtempSync(join(tmpdir(), 'jobscope-sdk-bench-'));
  let spools = 0;
  const exporter = (): ChildConfig['exporter'] => ({ serviceName: 'sdk-bench', spoolDir: join(tmp, `spool-${spools++}`) });
  const sink = await startSink();
  const cpu: CpuRun[][] = [];
  const worker: { silent: WorkerRun[]; sdk: WorkerRun[] } = { silent: [], sdk: [] };
  let outage: OutageRun;
  try {
    for (let r = 0; r < ROUNDS; r++) {
      log(`round ${r + 1}/${ROUNDS}: CPU per event (${SETTINGS.cpuEvents} events at ${SETTINGS.cpuRate}/s per library)`);
      const round: CpuRun[] = [];
      for (const lib of LIBS) {
        const res = await runChild<Omit<CpuRun, 'lib'>>({
          mode: 'cpu', lib, rate: SETTINGS.cpuRate, events: SETTINGS.cpuEvents, warm: SETTINGS.cpuWarm, endpoint: sink.url, exporter: exporter(),
        });
        round.push({ lib, ...res });
      }
      cpu.push(round);
      log(`round ${r + 1}/${ROUNDS}: worker at ${SETTINGS.loopRate} events/s for ${SETTINGS.loopSeconds} s, silent and with the SDK`);
      for (const lib of ['silent', 'sdk'] as const) {
        worker[lib].push(await runChild<WorkerRun>({
          mode: 'worker', lib, rate: SETTINGS.loopRate, seconds: SETTINGS.loopSeconds, endpoint: sink.url, exporter: exporter(),
        }));
      }
    }
    log(`receiver down for ${SETTINGS.outageSeconds} s at ${SETTINGS.loopRate} events/s`);
    outage = await runChild<OutageRun>({
      mode: 'outage', lib: 'sdk', rate: SETTINGS.loopRate, beforeSeconds: SETTINGS.beforeSeconds,
      outageSeconds: SETTINGS.outageSeconds, afterSeconds: SETTINGS.afterSeconds, exporter: exporter(),
    });
  } finally {
    await sink.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  const c = resolveOptions({ spoolDir: false });
  const result: BenchResult = {
    quick: QUICK, rounds: ROUNDS, settings: SETTINGS, seconds: (Date.now() - started) / 1000,
    machine: {
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC', commit: commit(), node: process.version,
      cpus: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`, memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
      load: [load0, loadavg()].map((l) => l.map((x) => x.toFixed(2)).join(' ')),
    },
    bounds: { ringBytes: c.ringBytes, overflowBytes: c.overflowBytes, maxBatchBytes: c.maxBatchBytes, maxQueueBytes: c.maxQueueBytes, maxSpoolBytes: c.maxSpoolBytes },
    cpu, worker, outage,
  };
  const md = render(result);
  process.stdout.write(md + '\n');
  const out = value('out');
  if (out) {
    writeSection(out, md);
    log(`wrote the sdk-bench section of ${out}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`sdk bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

/**
 * The tracing benchmark of issue #6: tracing overhead per job (spans made
 * and exported) with Jobscope's SDK vs the plain OpenTelemetry SDK doing the
 * same spans; target ≤ 1.2×.
 *   node packages/sdk/dist/bench/tracing/run.js [--quick] [--rounds N] [--out docs/benchmarks.md]
 * Each variant runs in its own child process per round (child.ts), rounds
 * interleave the variants, medians are reported; the receiver is the
 * minimal OTLP sink of ../sink.ts in another process (not counted).
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startSink } from '../sink.js';
import type { ChildResult, Variant } from './child.js';
import { renderTracingSection, writeTracingSection } from './report.js';

const argv = process.argv.slice(2);
const at = (name: string): string | undefined => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined);
const QUICK = argv.includes('--quick');
const ROUNDS = Number(at('rounds') ?? (QUICK ? 1 : 3));
const JOBS = QUICK ? 5_000 : 20_000;
const WARM = QUICK ? 1_000 : 3_000;
const OUT = at('out');
const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));
const VARIANTS: Variant[] = ['plain', 'jobscope-raw', 'plain-gzip', 'jobscope', 'jobscope-10'];
const log = (s: string): void => void process.stderr.write(`[tracing-bench] ${s}\n`);

function child(variant: Variant, url: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, variant, url, String(JOBS), String(WARM)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${variant} child exited ${code}`));
      try { resolve(JSON.parse(out.trim().split('\n').pop() as string) as ChildResult); } catch (e) { reject(e); }
    });
  });
}

async function main(): Promise<void> {
  const sink = await startSink();
  const url = sink.url.replace('/v1/logs', '/v1/traces');
  const runs: ChildResult[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      for (const v of VARIANTS) {
        const res = await child(v, url);
        runs.push(res);
        log(`round ${r + 1} ${v}: ${(res.cpuUs / res.jobs).toFixed(1)} µs CPU per job, ${res.exported} spans exported`);
      }
    }
  } finally {
    await sink.stop();
  }
  const section = renderTracingSection({
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`,
    command: `node packages/sdk/dist/bench/tracing/run.js ${argv.join(' ')}`.trim(), jobs: JOBS, warm: WARM, rounds: ROUNDS, runs,
  });
  process.stdout.write(`${section}\n`);
  if (OUT) {
    writeTracingSection(OUT, section);
    log(`wrote the tracing-bench section of ${OUT}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[tracing-bench] failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

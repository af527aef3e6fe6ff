/**
 * The fleet benchmark (issue #5: the load mode that benchmarks reuse):
 *   node packages/sim/dist/bench/run.js [--quick] [--out docs/benchmarks.md]
 * Env: BENCH_FLEET_SECONDS (per path, default 30; 8 with --quick).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { runFleet, type FleetRun } from './fleet-run.js';
import { renderFleetSection, writeFleetSection } from './report.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const outAt = argv.indexOf('--out');
const OUT = outAt >= 0 ? argv[outAt + 1] : undefined;
const SECONDS = Number(process.env.BENCH_FLEET_SECONDS ?? (QUICK ? 8 : 30));
const log = (s: string): void => void process.stderr.write(`[fleet-bench] ${s}\n`);

async function main(): Promise<void> {
  if (!Number.isFinite(SECONDS) || SECONDS < 2) throw new Error('BENCH_FLEET_SECONDS must be a number ≥ 2');
  const tmp = mkdtempSync(join(tmpdir(), 'jobscope-fleet-bench-'));
  const runs: FleetRun[] = [];
  try {
    for (const path of ['agents', 'direct'] as const) {
      log(`${path}: ${SECONDS} s of load mode…`);
      runs.push(await runFleet(tmp, path, SECONDS, log));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const section = renderFleetSection({
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`,
    command: `node packages/sim/dist/bench/run.js ${argv.join(' ')}`.trim(), seconds: SECONDS, runs,
  });
  process.stdout.write(`${section}\n`);
  if (OUT) {
    writeFleetSection(OUT, section);
    log(`wrote the fleet-bench section of ${OUT}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[fleet-bench] failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

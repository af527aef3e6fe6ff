/**
 * The agent benchmark of issue #4:
 *   node packages/agent/dist/bench/run.js [--quick] [--out docs/benchmarks.md] [--no-memory]
 * Env: BENCH_AGENT_RECORDS (per path and round, default 200000), BENCH_AGENT_ROUNDS (default 2),
 * BENCH_AGENT_MEMORY_BYTES (default 1 GiB).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { memoryWhileBuffered, type MemoryRun } from './memory.js';
import { startServer, startSink } from './procs.js';
import { renderAgentSection, writeAgentSection, type AgentBenchResult } from './report.js';
import { bodies, direct, settle, viaAgent, type PathRun } from './throughput.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const outAt = argv.indexOf('--out');
const OUT = outAt >= 0 ? argv[outAt + 1] : undefined;
const RECORDS = Number(process.env.BENCH_AGENT_RECORDS ?? (QUICK ? 30_000 : 200_000));
const ROUNDS = Number(process.env.BENCH_AGENT_ROUNDS ?? (QUICK ? 1 : 2));
const MEMORY_BYTES = Number(process.env.BENCH_AGENT_MEMORY_BYTES ?? (QUICK ? 128 * 1024 ** 2 : 1024 ** 3));
const log = (s: string): void => void process.stderr.write(`[agent-bench] ${s}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), 'jobscope-agent-bench-'));
  const result: AgentBenchResult = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'cpu'}), ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}`,
    command: `node packages/agent/dist/bench/run.js ${argv.join(' ')}`.trim(),
    minutes: 0, records: RECORDS, rounds: ROUNDS, direct: [], agent: [], agentToSink: [], memory: null,
  };
  try {
    const server = await startServer(join(tmp, 'server'));
    const sink = await startSink();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const offset = round * 3 * RECORDS;
        await settle(server.pid);
        const d = await direct(server, bodies(RECORDS, 'otlp', offset), RECORDS, round);
        result.direct.push(d);
        log(`round ${round + 1}: direct ${Math.round(d.records / d.seconds)} records/s`);
        await settle(server.pid);
        const a = await viaAgent(server.url, server.pid, bodies(RECORDS, 'json', offset + RECORDS), RECORDS, join(tmp, `agent-${round}`));
        result.agent.push(a);
        log(`round ${round + 1}: through the agent ${Math.round(a.records / a.seconds)} records/s (agent ${(a.agentCpu / a.records * 1e6).toFixed(1)} µs/record)`);
        const s = await viaAgent(sink.url, null, bodies(RECORDS, 'json', offset + 2 * RECORDS), RECORDS, join(tmp, `sink-${round}`));
        result.agentToSink.push(s);
        log(`round ${round + 1}: agent alone ${Math.round(s.records / s.seconds)} records/s (${(s.agentCpu / s.records * 1e6).toFixed(1)} µs/record)`);
      }
    } finally {
      await sink.stop();
      await server.stop();
    }
    if (!argv.includes('--no-memory')) {
      log(`memory: filling ${(MEMORY_BYTES / 1024 ** 2).toFixed(0)} MiB with the destination down…`);
      const m: MemoryRun = await memoryWhileBuffered(tmp, MEMORY_BYTES);
      result.memory = m;
      log(`memory: peak RSS with the backlog waiting ${(Math.max(m.peakRssSteady, m.peakRssRestart) / 1024 ** 2).toFixed(1)} MiB`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  result.minutes = (Date.now() - started) / 60_000;
  const section = renderAgentSection(result);
  process.stdout.write(`${section}\n`);
  if (OUT) {
    writeAgentSection(OUT, section);
    log(`wrote the agent-bench section of ${OUT}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[agent-bench] failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

export type { PathRun };

/**
 * One run of the fleet in load mode (`jobscope demo --load`, the same
 * command a user types) against a fresh `jobscope server`, both as child
 * processes: CPU and memory from /proc while it runs, then what the server
 * stored, read back through its own API once the counts stop moving.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { cpuSeconds, rssBytes, startProcess, startServer } from '@jobscope/agent/bench-procs';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const SUMMARY = /jobscope demo stopped: submitted=(\d+) completed=(\d+) failed=(\d+) promoted=(\d+) unworkable=(\d+)/;

export interface FleetRun {
  path: 'agents' | 'direct';
  seconds: number;
  submitted: number; completed: number; failed: number; promoted: number; unworkable: number;
  /** Records the server stored (otel_logs), and job_submitted among them. */
  stored: number;
  storedSubmitted: number;
  byEvent: Record<string, number>;
  /** CPU-s of the demo process (fleet, SDK exporters, agents) and of the server over the run. */
  fleetCpu: number;
  serverCpu: number;
  fleetPeakRss: number;
  serverPeakRss: number;
  /** Seconds from the demo's exit until the server's count stopped moving. */
  drainSeconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function counts(url: string, fromMs: number): Promise<Record<string, number>> {
  const q = new URLSearchParams({ by: 'event_type', from: new Date(fromMs).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), interval: '1d' });
  const r = await fetch(`${url}/api/stats?${q}`);
  if (r.status !== 200) throw new Error(`/api/stats answered ${r.status}: ${await r.text()}`);
  const body = (await r.json()) as { buckets: { key: string; count: number }[] };
  const out: Record<string, number> = {};
  for (const b of body.buckets) out[b.key || '(log)'] = (out[b.key || '(log)'] ?? 0) + Number(b.count);
  return out;
}
const total = (c: Record<string, number>): number => Object.values(c).reduce((a, b) => a + b, 0);

export async function runFleet(tmp: string, path: 'agents' | 'direct', seconds: number, log: (s: string) => void): Promise<FleetRun> {
  const server = await startServer(join(tmp, `server-${path}`));
  try {
    const t0 = Date.now();
    const serverCpu0 = cpuSeconds(server.pid);
    const demo = await startProcess([
      CLI, 'demo', '--load', '--server', server.url, '--duration', `${seconds}s`, '--seed', 'fleet-bench',
      '--data', join(tmp, `demo-${path}`), ...(path === 'direct' ? ['--no-agents'] : []),
    ], /Jobscope demo sending to/);
    const exited = new Promise<void>((r) => (demo.child.exitCode !== null ? r() : demo.child.once('exit', () => r())));
    let fleetCpu = 0; let fleetPeakRss = 0; let serverPeakRss = 0; let running = true;
    void exited.then(() => { running = false; });
    while (running) {
      try { fleetCpu = cpuSeconds(demo.pid); } catch { /* gone between the check and the read */ }
      fleetPeakRss = Math.max(fleetPeakRss, rssBytes(demo.pid));
      serverPeakRss = Math.max(serverPeakRss, rssBytes(server.pid));
      await Promise.race([exited, sleep(250)]);
    }
    const wall = (Date.now() - t0) / 1000;
    const m = SUMMARY.exec(demo.text());
    if (!m) throw new Error(`the demo did not print its summary:\n${demo.text().slice(-2000)}`);
    // the demo flushed its exporters and agents on the way out; the server's write-ahead log drains in ≤ 1 s batches
    const drained = Date.now();
    let last = -1; let stable = 0; let c: Record<string, number> = {};
    while (stable < 3 && Date.now() - drained < 60_000) {
      c = await counts(server.url, t0 - 60_000);
      stable = total(c) === last ? stable + 1 : 0;
      last = total(c);
      serverPeakRss = Math.max(serverPeakRss, rssBytes(server.pid));
      await sleep(1000);
    }
    const serverCpu = cpuSeconds(server.pid) - serverCpu0;
    const run: FleetRun = {
      path, seconds: wall,
      submitted: Number(m[1]), completed: Number(m[2]), failed: Number(m[3]), promoted: Number(m[4]), unworkable: Number(m[5]),
      stored: total(c), storedSubmitted: c.job_submitted ?? 0, byEvent: c,
      fleetCpu, serverCpu, fleetPeakRss, serverPeakRss, drainSeconds: (Date.now() - drained) / 1000 - 3,
    };
    log(`${path}: ${run.stored} records stored in ${wall.toFixed(1)} s (${Math.round(run.stored / wall)}/s); submitted ${run.submitted}, job_submitted stored ${run.storedSubmitted}`);
    return run;
  } finally {
    await server.stop();
  }
}

/**
 * The fleet benchmark's section of docs/benchmarks.md (between its own
 * markers; the server's run keeps it): the simulated fleet in load mode,
 * through per-machine agents and, as the baseline of the same run, with the
 * workers sending straight to the server.
 */
import { writeMarkedBlock } from '@jobscope/core';
import type { FleetRun } from './fleet-run.js';

export const FLEET_START = '<!-- fleet-bench:start -->';
export const FLEET_END = '<!-- fleet-bench:end -->';

export interface FleetBenchResult { date: string; machine: string; command: string; seconds: number; runs: FleetRun[] }

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const perK = (cpu: number, records: number): string => (records > 0 ? `${(cpu / records * 1000 * 1000).toFixed(0)} ms` : '–');

export function renderFleetSection(r: FleetBenchResult): string {
  const a = r.runs.find((x) => x.path === 'agents');
  const d = r.runs.find((x) => x.path === 'direct');
  const lost = (x: FleetRun): number => Math.max(0, x.submitted - x.storedSubmitted);
  const row = (x: FleetRun): string => `| ${x.path === 'agents' ? 'through per-machine agents' : 'direct to the server (baseline)'} | ${int(x.stored)} | ${int(x.stored / x.seconds)} | ${int(x.submitted)} / ${int(x.storedSubmitted)} (${lost(x)} lost) | ${int(x.completed)} / ${int(x.failed)} / ${int(x.unworkable)} | ${perK(x.fleetCpu, x.stored)} | ${perK(x.serverCpu, x.stored)} | ${mib(x.fleetPeakRss)} / ${mib(x.serverPeakRss)} |`;
  const out = [
    FLEET_START,
    '## Fleet in load mode (issue #5)', '',
    `${r.date} · ${r.machine} · \`${r.command}\` · ${r.seconds} s per path, seed \`fleet-bench\``, '',
    'The simulated fleet in load mode (`jobscope demo --load`: 8 machines × 6 workers, 300 jobs/s, time scale 0.01, no faults) against a fresh `jobscope server` (embedded ClickHouse), both child processes. Records are counted at the server through `/api/stats` once its count stops moving; "lost" compares the jobs the load generator had acknowledged with the `job_submitted` events stored.', '',
    '| path | records stored | records/s | jobs submitted / job_submitted stored | completed / failed / unworkable | fleet process CPU per 1,000 records | server CPU per 1,000 records | peak RSS fleet / server |',
    '|---|---|---|---|---|---|---|---|',
    ...r.runs.map(row), '',
  ];
  if (a && d && a.stored > 0 && d.stored > 0) {
    out.push(`Ratios, agents / direct, same run: records/s ${(a.stored / a.seconds / (d.stored / d.seconds)).toFixed(2)}×, server CPU per record ${((a.serverCpu / a.stored) / (d.serverCpu / d.stored)).toFixed(2)}×, fleet-process CPU per record ${((a.fleetCpu / a.stored) / (d.fleetCpu / d.stored)).toFixed(2)}× (the fleet process hosts the agents in this setup, so their cost is in that column).`, '');
  }
  out.push(`Events stored by type (through the agents): ${a ? Object.entries(a.byEvent).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${int(v)}`).join(', ') : '–'}.`, '', FLEET_END);
  return out.join('\n');
}

export function writeFleetSection(file: string, block: string): void {
  writeMarkedBlock(file, FLEET_START, FLEET_END, block);
}

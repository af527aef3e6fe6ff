/** The SDK benchmark's markdown section, from the measurements of run.ts. */
import type { ExporterStatsDetail } from '../export/stats.js';
import type { LibName } from './libs.js';

export interface CpuRun { lib: LibName; cpuUs: number; userUs: number; systemUs: number; mainUs: number | null; events: number; wallMs: number; sent?: number; dropped?: number }
export interface WorkerRun {
  events: number;
  loopMs: { p50: number; p99: number; max: number; mean: number };
  amortizedNs: { p50: number; p99: number };
  perCallNs: { p50: number; p99: number; max: number };
  clockNs: number;
  sent?: number;
  dropped?: number;
}
export interface MemSample { t: number; phase: 'before' | 'outage' | 'after'; rss: number; heap: number; external: number; queueBytes: number; spoolBytes: number }
export interface OutageRun { emitted: number; duringOutage: number; drainMs: number; samples: MemSample[]; atRecovery: ExporterStatsDetail; stats: ExporterStatsDetail; received: { requests: number; bytes: number } }

export interface BenchResult {
  quick: boolean;
  rounds: number;
  seconds: number;
  settings: { cpuRate: number; cpuEvents: number; cpuWarm: number; loopRate: number; loopSeconds: number; beforeSeconds: number; outageSeconds: number; afterSeconds: number };
  machine: { date: string; commit: string; node: string; cpus: string; memory: string; load: string[] };
  bounds: { ringBytes: number; overflowBytes: number; maxBatchBytes: number; maxQueueBytes: number; maxSpoolBytes: number };
  cpu: CpuRun[][];
  worker: { silent: WorkerRun[]; sdk: WorkerRun[] };
  outage: OutageRun;
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const f2 = (n: number): string => n.toFixed(2);
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
const verdict = (ok: boolean): string => (ok ? '**pass**' : '**FAIL**');

const LABEL: Record<LibName, string> = {
  silent: 'the pacing loop alone (subtracted from every row)',
  sdk: '**ConnectorLogger.jobCompleted() → exporter** (worker mode, OTLP/HTTP, gzip)',
  'sdk-official': 'the same with `encoder: \'official\'` (the OpenTelemetry ProtobufLogsSerializer writes the same bytes)',
  pino: 'pino → `pino.destination(\'/dev/null\')`',
  winston: 'winston, timestamp()+json() → Stream transport on /dev/null',
  'winston+jobscope': 'winston, timestamp()+json() → JobscopeWinstonTransport → exporter',
  'pino+jobscope': 'pino → pino.transport(`@jobscope/sdk/pino`) → exporter in pino\'s worker',
};

/** Per-event CPU (µs) of each library: net of the same round's silent loop, median over rounds. */
interface PerEvent { net: number; gross: number; all: number[]; main: number; others: number }

/**
 * Per-event CPU (µs) of each library, median over rounds: net of the same
 * round's silent loop; split into the main thread (the caller's) and every
 * other thread, when /proc gave the main thread's time.
 */
function cpuPerEvent(cpu: CpuRun[][]): Map<LibName, PerEvent> {
  const out = new Map<LibName, PerEvent>();
  const libs = cpu[0]?.map((r) => r.lib) ?? [];
  for (const lib of libs) {
    const nets: number[] = [];
    const gross: number[] = [];
    const main: number[] = [];
    const others: number[] = [];
    for (const round of cpu) {
      const r = round.find((x) => x.lib === lib);
      const silent = round.find((x) => x.lib === 'silent');
      if (!r || !silent) continue;
      gross.push(r.cpuUs / r.events);
      nets.push((r.cpuUs - silent.cpuUs) / r.events);
      if (r.mainUs !== null && silent.mainUs !== null) {
        main.push((r.mainUs - silent.mainUs) / r.events);
        others.push((r.cpuUs - r.mainUs - (silent.cpuUs - silent.mainUs)) / r.events);
      }
    }
    out.set(lib, { net: median(nets), gross: median(gross), all: nets, main: median(main), others: median(others) });
  }
  return out;
}

function memory(o: OutageRun, b: BenchResult['bounds']): { base: number; peak: number; heapPeak: number; peakAll: number; queuePeak: number; spoolPeak: number; bound: number; quarters: number[] } {
  const before = o.samples.filter((s) => s.phase === 'before');
  const during = o.samples.filter((s) => s.phase === 'outage');
  const base = median(before.slice(Math.floor(before.length / 2)).map((s) => s.rss));
  return {
    base,
    peak: Math.max(...during.map((s) => s.rss)),
    heapPeak: Math.max(...during.map((s) => s.heap)),
    peakAll: Math.max(...o.samples.map((s) => s.rss)),
    queuePeak: Math.max(...during.map((s) => s.queueBytes)),
    spoolPeak: Math.max(...o.samples.map((s) => s.spoolBytes)),
    bound: b.ringBytes + b.overflowBytes + b.maxBatchBytes + 2 * b.maxQueueBytes,
    quarters: [1, 2, 3, 4].map((q) => during[Math.min(during.length - 1, Math.floor((q * during.length) / 4) - (q === 4 ? 1 : 0))]?.rss ?? NaN),
  };
}

export function render(r: BenchResult): string {
  const s = r.settings;
  const cpu = cpuPerEvent(r.cpu);
  const sdkCpu = cpu.get('sdk');
  const pinoCpu = cpu.get('pino');
  const winstonCpu = cpu.get('winston');
  const callers = r.worker.sdk.map((w) => w.perCallNs.p50 - w.clockNs);
  const caller = median(callers);
  const amortized = median(r.worker.sdk.map((w) => w.amortizedNs.p50));
  const added = median(r.worker.sdk.map((w, i) => w.loopMs.p99 - (r.worker.silent[i]?.loopMs.p99 ?? NaN)));
  const p99Sdk = median(r.worker.sdk.map((w) => w.loopMs.p99));
  const p99Silent = median(r.worker.silent.map((w) => w.loopMs.p99));
  const m = memory(r.outage, r.bounds);
  const st = r.outage.stats;
  const noLoss = st.dropped === 0 && st.sent === r.outage.emitted;
  const lines: string[] = [];
  const L = (...x: string[]): void => void lines.push(...x);

  L('## SDK (issue #3)', '');
  L(`The SDK's costs inside a worker, generated by \`node packages/sdk/dist/bench/run.js${r.quick ? ' --quick' : ''}\` (${(r.seconds / 60).toFixed(1)} min, ${r.rounds} round${r.rounds > 1 ? 's' : ''}${r.quick ? ', quick mode: shorter runs and outage' : ''}). ` +
    'Every library writes the same record: the ten fields (job_id, worker_id, machine_id, service_type, connector_id, event_type, duration_ms, model, progress, status) plus time, level and message. ' +
    'Each measurement runs in a fresh child process. The receiver is a minimal HTTP sink in another process that answers 200 (not a Jobscope server, whose cost is the server benchmark\'s subject); the exporter does real OTLP/HTTP to it.', '');
  L(`- ${r.machine.date}; commit ${r.machine.commit}; Node ${r.machine.node}; ${r.machine.cpus}, ${r.machine.memory}`);
  L(`- load average (1/5/15 min) before / after: ${r.machine.load[0]} / ${r.machine.load[1]} — other work on the machine skews results`, '');

  L('| measure | measured | target | result |', '|---|---|---|---|');
  L(`| caller's cost of \`jobCompleted()\`, exporter attached (worker mode), on the worker's thread | median ${int(caller)} ns per call (p99 ${int(median(r.worker.sdk.map((w) => w.perCallNs.p99)))} ns); ${int(amortized)} ns amortized over a tick of ${s.loopRate / 100} calls | ≤ 1 µs median | ${verdict(caller <= 1000)} |`);
  if (sdkCpu && pinoCpu && winstonCpu) {
    L(`| CPU per event, all threads (build, ring, parse, protobuf, gzip, HTTP) | ${f2(sdkCpu.net)} µs | ≤ pino to /dev/null: ${f2(pinoCpu.net)} µs (winston: ${f2(winstonCpu.net)} µs) | ${verdict(sdkCpu.net <= pinoCpu.net)} (${f2(sdkCpu.net / pinoCpu.net)} × pino) |`);
  }
  L(`| event-loop delay p99 added at ${int(s.loopRate)} events/s | ${added >= 0 ? '+' : ''}${f2(added)} ms (p99 ${f2(p99Sdk)} ms emitting vs ${f2(p99Silent)} ms silent) | < 1 ms | ${verdict(added < 1)} |`);
  L(`| memory while the receiver is down ${s.outageSeconds} s | RSS +${mib(m.peak - m.base)} over the ${mib(m.base)} before (main-thread heap peak ${mib(m.heapPeak)}); ${int(st.dropped)} dropped, ${int(r.outage.stats.spooled)} spooled | ≤ the memory bounds (${mib(m.bound)}), nothing dropped | ${verdict(m.peak - m.base <= m.bound && noLoss)} |`);
  L('');

  L('### CPU per event', '');
  L(`${int(s.cpuEvents)} events at ${int(s.cpuRate)}/s in 10 ms ticks per library and round, after ${int(s.cpuWarm)} events of warm-up; \`process.cpuUsage()\` of the child (all its threads: the caller, the exporter's worker thread, libuv's pool for gzip and file writes, pino's transport thread) from the first event until every event reached its destination (the exporters: sent and acknowledged). ` +
    'The same loop calling nothing is subtracted. Median over rounds.', '');
  L('| logger → destination | CPU per event | main thread / other threads | gross (loop included) | each round |', '|---|---|---|---|---|');
  for (const [lib, v] of cpu) {
    if (lib === 'silent') {
      L(`| ${LABEL[lib]} | — | — | ${f2(v.gross)} µs | |`);
      continue;
    }
    const split = Number.isNaN(v.main) ? 'n/a' : `${f2(v.main)} / ${f2(v.others)} µs`;
    L(`| ${LABEL[lib]} | ${f2(v.net)} µs | ${split} | ${f2(v.gross)} µs | ${v.all.map(f2).join(', ')} |`);
  }
  L('', 'Main thread: `/proc/self/task/<pid>/stat` (10 ms ticks); other threads: the rest of `process.cpuUsage()` (the exporter\'s worker thread, libuv\'s pool, V8\'s GC helpers, pino\'s transport thread), each net of the silent loop\'s.', '');

  L('### Caller cost and event-loop delay', '');
  L(`A worker emitting ${int(s.loopRate)} jobCompleted() events/s (${s.loopRate / 100} per 10 ms tick) for ${s.loopSeconds} s after 2 s of warm-up, vs the same loop silent. ` +
    `Per call: \`process.hrtime.bigint()\` around each call in one tick of 20, minus the clock's own median cost (${int(median(r.worker.sdk.map((w) => w.clockNs)))} ns); amortized: one tick's calls timed together. ` +
    'Event-loop delay: `monitorEventLoopDelay({ resolution: 1 })`, whose samples include the 1 ms sampling interval itself.', '');
  L('| round | per call p50 / p99 | amortized p50 / p99 | loop delay p50 / p99 / max, emitting | loop delay p50 / p99 / max, silent | events sent / dropped |', '|---|---|---|---|---|---|');
  r.worker.sdk.forEach((w, i) => {
    const q = r.worker.silent[i];
    L(`| ${i + 1} | ${int(w.perCallNs.p50 - w.clockNs)} / ${int(w.perCallNs.p99)} ns | ${int(w.amortizedNs.p50)} / ${int(w.amortizedNs.p99)} ns | ${f2(w.loopMs.p50)} / ${f2(w.loopMs.p99)} / ${f2(w.loopMs.max)} ms | ${q ? `${f2(q.loopMs.p50)} / ${f2(q.loopMs.p99)} / ${f2(q.loopMs.max)} ms` : '—'} | ${int(w.sent ?? 0)} / ${int(w.dropped ?? 0)} |`);
  });
  L('');

  L('### Receiver down', '');
  L(`The same worker at ${int(s.loopRate)} events/s: ${s.beforeSeconds} s with the receiver up, ${s.outageSeconds} s with it down (connection refused), ${s.afterSeconds} s with it back; RSS and heap sampled every 250 ms. ` +
    `The memory bounds of the default configuration: ring ${mib(r.bounds.ringBytes)} + overflow ${mib(r.bounds.overflowBytes)} + open batch ${mib(r.bounds.maxBatchBytes)} + batches being encoded or spooled and the memory queue (2 × ${mib(r.bounds.maxQueueBytes)}) = ${mib(m.bound)}; the spool is bounded on disk (${mib(r.bounds.maxSpoolBytes)}).`, '');
  L('| | value |', '|---|---|');
  L(`| RSS before the outage (median, second half) | ${mib(m.base)} |`);
  L(`| RSS peak during the outage | ${mib(m.peak)} (+${mib(m.peak - m.base)}) |`);
  L(`| RSS at ¼, ½, ¾ and the end of the outage (growth levels off) | ${m.quarters.map((q) => `+${mib(q - m.base)}`).join(', ')} |`);
  L(`| RSS peak over the whole run (replay included) | ${mib(m.peakAll)} (+${mib(m.peakAll - m.base)}) |`);
  L(`| main-thread heap peak during the outage | ${mib(m.heapPeak)} |`);
  L(`| bytes waiting in memory, peak (stats().queueBytes) | ${mib(m.queuePeak)} |`);
  L(`| spool on disk, peak | ${mib(m.spoolPeak)} |`);
  L(`| events emitted / during the outage | ${int(r.outage.emitted)} / ${int(r.outage.duringOutage)} |`);
  L(`| at recovery: sent / spooled / breaker | ${int(r.outage.atRecovery.sent)} / ${int(r.outage.atRecovery.spooled)} / ${r.outage.atRecovery.breaker} |`);
  L(`| at the end: sent / replayed / dropped / retried | ${int(st.sent)} / ${int(st.replayed)} / ${int(st.dropped)} / ${int(st.retried)} |`);
  L(`| drained after the last event | ${int(r.outage.drainMs)} ms |`);
  L(`| requests the receiver answered | ${int(r.outage.received.requests)} (${mib(r.outage.received.bytes)} gzip'd protobuf) |`);
  return lines.join('\n');
}

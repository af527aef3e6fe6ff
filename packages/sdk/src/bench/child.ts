/**
 * One measurement in a fresh process (so JIT state, heap and threads of one
 * library do not leak into another's numbers). Config: one JSON argument;
 * result: one JSON line on stdout.
 *
 *   cpu     N events at `rate` through `lib`, after a warm-up; process.cpuUsage()
 *           (every thread of the process: caller, exporter worker, libuv pool)
 *           from the first event until drain() says all of them arrived.
 *   worker  `lib` (sdk or silent) at `rate` for `seconds`: event-loop delay
 *           (monitorEventLoopDelay, 1 ms resolution) and the caller's time per
 *           jobCompleted(): each tick's batch timed as one (amortized), and
 *           every 20th tick call by call.
 *   outage  sdk at `rate`: sink up (baseline memory), sink down for
 *           `outageSeconds`, sink back; RSS and heap sampled every 250 ms;
 *           then every event must be sent, none dropped.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ExporterOptions } from '../export/options.js';
import { createLib, type Lib, type LibName } from './libs.js';
import type { MemSample } from './report.js';
import { startSink, type Sink } from './sink.js';

export interface ChildConfig {
  mode: 'cpu' | 'worker' | 'outage';
  lib: LibName;
  rate: number;
  /** cpu: events measured (after `warm` events of warm-up). */
  events?: number;
  warm?: number;
  /** worker: measured seconds (after 2 s of warm-up). */
  seconds?: number;
  /** outage: seconds with the sink up before, down, and up after. */
  beforeSeconds?: number;
  outageSeconds?: number;
  afterSeconds?: number;
  /** The sink's URL (cpu, worker); outage starts its own. */
  endpoint?: string;
  exporter: ExporterOptions;
}

const TICK_MS = 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function pct(a: number[], p: number): number {
  if (a.length === 0) return 0;
  const s = Float64Array.from(a).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Emits at `rate` in 10 ms ticks until `stop(emitted, elapsedMs)` says so.
 * `tick` (optional) wraps each tick's emission, e.g. to time it.
 */
async function paced(lib: Lib, rate: number, from: number, stop: (n: number, ms: number) => boolean,
  tick?: (emitBatch: () => void, t: number) => void): Promise<number> {
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const start = Date.now();
  let n = from;
  for (let t = 0; !stop(n - from, Date.now() - start); t++) {
    const base = n;
    const batch = (): void => {
      for (let k = 0; k < perTick; k++) lib.emit(base + k);
    };
    if (tick) tick(batch, t);
    else batch();
    n += perTick;
    await sleep(Math.max(0, start + (t + 1) * TICK_MS - Date.now()));
  }
  return n;
}

/**
 * CPU µs of the main thread alone (Linux: /proc/self/task/<pid>/stat, in
 * clock ticks of 10 ms), or null elsewhere. The rest of cpuUsage() is the
 * other threads: the exporter's worker, libuv's pool, V8's helpers.
 */
function mainThreadUs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000; // utime + stime, at USER_HZ = 100
  } catch {
    return null;
  }
}

async function cpu(c: ChildConfig): Promise<object> {
  const lib = createLib(c.lib, { ...c.exporter, endpoint: c.endpoint });
  const warm = c.warm ?? 20_000;
  const events = c.events ?? 100_000;
  let n = await paced(lib, c.rate, 0, (k) => k >= warm);
  await lib.drain(n);
  await sleep(200);
  const c0 = process.cpuUsage();
  const m0 = mainThreadUs();
  const t0 = Date.now();
  n = await paced(lib, c.rate, n, (k) => k >= events);
  await lib.drain(n);
  const used = process.cpuUsage(c0);
  const m1 = mainThreadUs();
  const wallMs = Date.now() - t0;
  const stats = lib.stats();
  await lib.close();
  const mainUs = m0 === null || m1 === null ? null : m1 - m0;
  return { cpuUs: used.user + used.system, userUs: used.user, systemUs: used.system, mainUs, events, wallMs, sent: stats?.sent, dropped: stats?.dropped };
}

async function worker(c: ChildConfig): Promise<object> {
  const lib = createLib(c.lib, { ...c.exporter, endpoint: c.endpoint });
  let n = await paced(lib, c.rate, 0, (_k, ms) => ms >= 2000);
  await lib.drain(n);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const amortized: number[] = [];
  const perCall: number[] = [];
  const perTick = Math.max(1, Math.round((c.rate * TICK_MS) / 1000));
  loop.enable();
  const first = n;
  n = await paced(lib, c.rate, n, (_k, ms) => ms >= (c.seconds ?? 10) * 1000, (batch, t) => {
    if (t % 20 === 10) {
      const base = first + t * perTick;
      for (let k = 0; k < perTick; k++) {
        const t0 = process.hrtime.bigint();
        lib.emit(base + k);
        perCall.push(Number(process.hrtime.bigint() - t0));
      }
      return;
    }
    const t0 = process.hrtime.bigint();
    batch();
    amortized.push(Number(process.hrtime.bigint() - t0) / perTick);
  });
  loop.disable();
  // The clock's own cost, to read per-call numbers with.
  const clock: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t0 = process.hrtime.bigint();
    clock.push(Number(process.hrtime.bigint() - t0));
  }
  await lib.drain(n);
  const stats = lib.stats();
  await lib.close();
  return {
    events: n - first,
    loopMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, mean: loop.mean / 1e6 },
    amortizedNs: { p50: pct(amortized, 50), p99: pct(amortized, 99) },
    perCallNs: { p50: pct(perCall, 50), p99: pct(perCall, 99), max: pct(perCall, 100) },
    clockNs: pct(clock, 50),
    sent: stats?.sent, dropped: stats?.dropped,
  };
}

async function outage(c: ChildConfig): Promise<object> {
  let sink: Sink = await startSink();
  const port = sink.port;
  const lib = createLib('sdk', { ...c.exporter, endpoint: sink.url });
  const samples: MemSample[] = [];
  let phase: MemSample['phase'] = 'before';
  const t0 = Date.now();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    const s = lib.stats();
    samples.push({ t: Date.now() - t0, phase, rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers, queueBytes: s?.queueBytes ?? 0, spoolBytes: s?.spoolBytes ?? 0 });
  }, 250);
  let n = await paced(lib, c.rate, 0, (_k, ms) => ms >= (c.beforeSeconds ?? 5) * 1000);
  await sink.stop();
  phase = 'outage';
  const downAt = n;
  n = await paced(lib, c.rate, n, (_k, ms) => ms >= (c.outageSeconds ?? 60) * 1000);
  const duringOutage = n - downAt;
  const atRecovery = lib.stats();
  sink = await startSink(port);
  phase = 'after';
  n = await paced(lib, c.rate, n, (_k, ms) => ms >= (c.afterSeconds ?? 5) * 1000);
  const d0 = Date.now();
  await lib.drain(n, 120_000);
  const drainMs = Date.now() - d0;
  clearInterval(sampler);
  const stats = lib.stats();
  await lib.close();
  const received = await sink.stop();
  return { emitted: n, duringOutage, drainMs, samples, atRecovery, stats, received };
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const run = c.mode === 'cpu' ? cpu : c.mode === 'worker' ? worker : outage;
  const result = await run(c);
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0); // pino's transport and winston's streams may hold the loop; the measurement is done
}

void main();

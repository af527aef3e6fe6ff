/**
 * A worker process for the integration tests: writes lines at a rate
 * through a real exporter and reports on stdout, one JSON object a line:
 *   {"t":"progress","written":n}      after each tick (stdout to a pipe is synchronous)
 *   {"t":"term","written":n}           when a shutdown signal arrives (it stops writing)
 *   {"t":"done","written":n,"stats":…,"writeNs":…,"loopDelayMs":…}  at the end
 * Config: one JSON argument (ChildConfig).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createExporter, installShutdownHooks, type ExporterOptions } from '../index.js';
import { line, until } from './server.js';

export interface ChildConfig {
  options: ExporterOptions;
  run: string;
  /** Lines to write (-1: until a signal). */
  lines: number;
  /** Lines per second. */
  rate: number;
  /** Install the shutdown hooks (SIGTERM test). */
  hooks?: boolean;
  closeTimeoutMs?: number;
  /** After writing, wait (up to ms) until every line is sent or dropped and the spool is empty. */
  waitSentMs?: number;
  /** After writing, just return: the process must end by itself (exit hook / beforeExit). */
  noClose?: boolean;
  /** The application's own SIGTERM handler: exits with code 7 a while after the signal. */
  appSigterm?: boolean;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const sink = createExporter(cfg.options);
const out = (o: object): void => void process.stdout.write(JSON.stringify(o) + '\n');
let written = 0;
let stopped = false;
const writeNs: number[] = [];
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

if (cfg.appSigterm) {
  process.on('SIGTERM', () => {
    stopped = true;
    setTimeout(() => process.exit(7), 1500);
  });
}

if (cfg.hooks) {
  installShutdownHooks(sink, {
    timeoutMs: cfg.closeTimeoutMs ?? 2000,
    onShutdown: () => {
      stopped = true;
      out({ t: 'term', written, stats: sink.stats() });
    },
  });
}

function pct(a: number[], p: number): number {
  if (a.length === 0) return 0;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const TICK_MS = 10;
const perTick = Math.max(1, Math.round((cfg.rate * TICK_MS) / 1000));

async function main(): Promise<void> {
  const start = Date.now();
  while (!stopped && (cfg.lines < 0 || written < cfg.lines)) {
    const n = cfg.lines < 0 ? perTick : Math.min(perTick, cfg.lines - written);
    for (let i = 0; i < n; i++) {
      const l = line(cfg.run, written);
      const t0 = process.hrtime.bigint();
      sink.write(l);
      writeNs.push(Number(process.hrtime.bigint() - t0));
      written++;
    }
    out({ t: 'progress', written });
    const next = start + ((written / perTick) * TICK_MS);
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
  }
  if (stopped) return; // the shutdown hooks close the sink and end the process
  if (cfg.noClose) {
    out({ t: 'returned', written, stats: sink.stats() });
    return;
  }
  if (cfg.waitSentMs) {
    await until(() => {
      const s = sink.stats();
      return (cfg.options.spoolDir === false || s.spoolDir !== null) && s.sent + s.dropped >= written && s.spoolPending === 0 && s.queueBytes === 0;
    }, cfg.waitSentMs);
  }
  loop.disable();
  await sink.close(cfg.closeTimeoutMs ?? 2000);
  out({
    t: 'done', written, stats: sink.stats(),
    writeNs: { p50: pct(writeNs, 50), p99: pct(writeNs, 99), max: pct(writeNs, 100) },
    loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    elapsedMs: Date.now() - start,
  });
}

void main();

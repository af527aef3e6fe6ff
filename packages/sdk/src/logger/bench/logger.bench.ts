/**
 * Micro-benchmark of the ConnectorLogger hot path: the caller's cost per
 * call, with a sink whose write() only stores the line (no I/O), so what is
 * measured is building the record. Prints ns/call (median and p99 over
 * batches) for each scenario.
 *
 *   node packages/sdk/dist/logger/bench/logger.bench.js [--batches 400] [--batch 2000]
 *
 * Each scenario is warmed up first; a batch's mean is one sample, and the
 * median/p99 are over samples (a single call is too short to time alone).
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ExporterStats, LineSink } from '../../contract.js';
import { ConnectorLogger } from '../connector-logger.js';

class StoreSink implements LineSink {
  last = '';
  count = 0;
  write(line: string): boolean {
    this.last = line;
    this.count++;
    return true;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
  stats(): ExporterStats {
    return { accepted: this.count, sent: 0, retried: 0, spooled: 0, replayed: 0, dropped: 0, batchesSent: 0, breaker: 'closed', queueBytes: 0, spoolBytes: 0 };
  }
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const BATCHES = arg('batches', 400);
const BATCH = arg('batch', 2000);

function measure(name: string, fn: (i: number) => void): { name: string; median: number; p99: number } {
  for (let i = 0; i < 200_000; i++) fn(i); // warm up: let the JIT optimize
  const samples: number[] = [];
  let n = 0;
  for (let b = 0; b < BATCHES; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) fn(n++);
    samples.push(Number(process.hrtime.bigint() - t0) / BATCH);
  }
  samples.sort((a, b) => a - b);
  return { name, median: samples[Math.floor(samples.length / 2)], p99: samples[Math.floor(samples.length * 0.99)] };
}

const sink = new StoreSink();
const log = new ConnectorLogger({
  machineId: 'railway-comfyui-worker-001', workerId: 'comfyui-gpu0', serviceType: 'comfyui',
  connectorId: 'comfyui-local', sink, level: 'info',
});
const ids = Array.from({ length: 1024 }, (_, i) => `job-${(0x10000000 + i * 7919).toString(16)}`);
const child = log.withJobContext(ids[0], 'session-1');

const results = [
  measure('jobCompleted(jobId, {duration_ms, model, progress, status})', (i) => {
    log.jobCompleted(ids[i & 1023], { duration_ms: 15000 + (i & 255), model: 'sdxl-base', progress: 100, status: 'completed' });
  }),
  measure('info(message, meta) (4 fields)', (i) => {
    log.info('Sampling step finished', { step: i & 31, total_steps: 32, node_id: '3', model_name: 'sdxl-base' });
  }),
  measure('child.info(message, meta) (existing job child)', (i) => {
    child.info('Sampling step finished', { step: i & 31, total_steps: 32 });
  }),
  measure('withJobContext(jobId).jobCompleted(…) (new child per job)', (i) => {
    log.withJobContext(ids[i & 1023]).jobCompleted(ids[i & 1023], { duration_ms: 1200, model: 'sdxl-base', progress: 100, status: 'completed' });
  }),
  measure('debug(message, meta) below threshold (no-op)', (i) => {
    log.debug('not written', { step: i });
  }),
];

// Last, so the scenarios above run with no tracing set up at all.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());
trace.getTracer('bench').startActiveSpan('process job', (span) => {
  results.push(measure('jobCompleted(…) inside an active OpenTelemetry span', (i) => {
    log.jobCompleted(ids[i & 1023], { duration_ms: 15000 + (i & 255), model: 'sdxl-base', progress: 100, status: 'completed' });
  }));
  span.end();
});

console.log(`node ${process.version}, ${BATCHES} batches × ${BATCH} calls, sink stores the line`);
for (const r of results) console.log(`${r.name.padEnd(62)} median ${r.median.toFixed(0).padStart(5)} ns/call   p99 ${r.p99.toFixed(0).padStart(5)} ns/call`);
console.log(`sample line (${sink.last.length} chars): ${sink.last}`);

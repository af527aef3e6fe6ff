/**
 * One measured process of the tracing benchmark: N jobs' spans made and
 * exported to the sink, by one variant, on the official OpenTelemetry SDK:
 *   jobscope      initTracing (job-aware sampling at ratio 1: every trace
 *                 kept and exported), the SDK's span helpers, gzip'd
 *                 protobuf batches with ids, retry, spool;
 *   jobscope-raw  the same without gzip (gzipLevel 0), to compare with plain;
 *   jobscope-10   the default ratio 0.1 (normal jobs' spans held, then
 *                 discarded at the job's end): what a fleet really pays;
 *   plain         BasicTracerProvider + BatchSpanProcessor (queue raised to
 *                 65,536 and the exporter's concurrency limit to 10,000 so
 *                 that it does not drop) + OTLPTraceExporter (protobuf,
 *                 uncompressed: its default), the same spans by hand;
 *   plain-gzip    the same with the exporter's gzip compression, to compare
 *                 with jobscope (which gzips by default).
 * CPU (all threads) from the first measured job until every span is
 * exported (flush/shutdown returned); printed as one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { initTracing } from '../../tracing/init/index.js';
import { jobscopeJob, plainJob, SPANS_PER_JOB } from './job-spans.js';

export type Variant = 'jobscope' | 'jobscope-raw' | 'jobscope-10' | 'plain' | 'plain-gzip';
export interface ChildResult { variant: Variant; jobs: number; cpuUs: number; wallMs: number; exported: number; rssBytes: number }

const [variant, url, jobsArg, warmArg] = process.argv.slice(2) as [Variant, string, string, string];
const JOBS = Number(jobsArg);
const WARM = Number(warmArg);
const YIELD_EVERY = 50; // let timers (batch cuts) and I/O run, as a worker's event loop would

async function loop(from: number, to: number, one: (n: number) => Promise<void>): Promise<void> {
  for (let n = from; n < to; n++) {
    await one(n);
    if (n % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
  }
}

/** Counts spans the OTLP exporter reported as exported. */
class Counting implements SpanExporter {
  exported = 0;
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], cb: Parameters<SpanExporter['export']>[1]): void {
    try {
      this.inner.export(spans, (r) => { if (r.code === 0) this.exported += spans.length; cb(r); });
    } catch (e) {
      // the OTLP exporter throws past its concurrency limit (30 requests in flight): those spans are lost
      cb({ code: 1, error: e as Error });
    }
  }
  shutdown(): Promise<void> { return this.inner.shutdown(); }
  forceFlush(): Promise<void> { return this.inner.forceFlush?.() ?? Promise.resolve(); }
}

async function main(): Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  let run: (n: number) => Promise<void>;
  let finish: () => Promise<number>;
  const spool = mkdtempSync(join(tmpdir(), 'jobscope-trace-bench-'));
  if (variant === 'plain' || variant === 'plain-gzip') {
    // concurrencyLimit raised from 30 so that the plain exporter does not drop batches in this flat-out loop
    const exporter = new Counting(new OTLPTraceExporter({ url, concurrencyLimit: 10_000, ...(variant === 'plain-gzip' ? { compression: CompressionAlgorithm.GZIP } : {}) }));
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'bench-worker' }),
      spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 512, scheduledDelayMillis: 1000 })],
    });
    const tracer = provider.getTracer('bench');
    run = (n) => plainJob(tracer, n);
    // a failed export (e.g. past the exporter's 30 concurrent requests) rejects the flush: its spans are simply not counted
    finish = async () => { await provider.shutdown().catch(() => {}); return exporter.exported; };
  } else {
    const tracing = initTracing({
      registerGlobal: false, endpoint: url, serviceName: 'bench-worker', spoolDir: spool,
      ...(variant === 'jobscope-raw' ? { gzipLevel: 0 } : {}),
      sampling: { ratio: variant === 'jobscope-10' ? 0.1 : 1 },
    });
    run = (n) => jobscopeJob(tracing, n);
    finish = async () => {
      await tracing.shutdown(30_000);
      const st = tracing.stats();
      if (st.export.dropped > 0 || st.spansDropped > 0) process.stderr.write(`jobscope: ${JSON.stringify(st)}\n`);
      return st.export.sent;
    };
  }
  await loop(0, WARM, run);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await loop(WARM, WARM + JOBS, run);
  const exported = await finish();
  const c = process.cpuUsage(c0);
  const result: ChildResult = {
    variant, jobs: JOBS, cpuUs: c.user + c.system, wallMs: performance.now() - t0, exported, rssBytes: process.memoryUsage().rss,
  };
  rmSync(spool, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  void SPANS_PER_JOB;
}

main().catch((e: unknown) => {
  process.stderr.write(`tracing bench child failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

/**
 * JobscopeSpanExporter: an OpenTelemetry SpanExporter on the exporter
 * core's reliability (export/pipeline.ts): spans → batches (count, bytes,
 * age) → protobuf (official ProtobufTraceSerializer) → gzip → memory queue
 * or disk spool → breaker( retry( timeout( POST /v1/traces ) ) ) with
 * `x-jobscope-batch-id`, replay in order (also by the next process).
 *
 * It runs inline, on the caller's thread: offer()/export() only append to
 * the open batch; encoding, gzip (libuv pool) and I/O run later from
 * timers, so no call blocks. export() calls back SUCCESS once the spans
 * are taken (delivery is the pipeline's job from then on: retried, spooled,
 * never given up) and FAILED only when the exporter could not take them
 * (encoding/spooling behind by maxQueueBytes, or shut down): counted.
 *
 * The pipeline's modules load on first use (importing the SDK stays cheap);
 * spans ending meanwhile wait in a list bounded by overflowBytes.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Send } from '../../export/layers.js';
import { LazyPipeline } from '../../export/lazy-pipeline.js';
import type { ResolvedConfig } from '../../export/options.js';
import type { ExporterStatsDetail } from '../../export/stats.js';
import type { SpanSink } from '../sampling/processor.js';
import { spanBytes } from './span-size.js';

export class JobscopeSpanExporter implements SpanExporter, SpanSink {
  readonly #c: ResolvedConfig;
  readonly #lazy: LazyPipeline<ReadableSpan>;

  /** `c` from resolveOptions(…, 'traces'); `post` replaces the HTTP client (tests). */
  constructor(c: ResolvedConfig, post?: Send) {
    this.#c = c;
    this.#lazy = new LazyPipeline<ReadableSpan>(c, post, async () => new (await import('./span-encoder.js')).SpanBatchEncoder(c.gzipLevel));
  }

  /** Takes one finished span; false when it could not (counted). Never throws, never waits. */
  offer(span: ReadableSpan): boolean {
    const k = this.#lazy.caller;
    k.accepted++;
    if (this.#lazy.closing) {
      k.droppedClosed++;
      return false;
    }
    let bytes: number;
    try {
      bytes = spanBytes(span);
    } catch {
      k.droppedOversize++;
      return false;
    }
    return this.#lazy.offer(span, bytes);
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let ok = true;
    for (const s of spans) ok = this.offer(s) && ok;
    resultCallback(ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error('jobscope span exporter: spans dropped (queue full or shut down), see stats()') });
  }

  /** Sends (or spools) what was taken so far, by the deadline. */
  flush(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    return this.#lazy.flush(timeoutMs);
  }

  forceFlush(): Promise<void> {
    return this.flush();
  }

  /** flush, then stop: what is not sent by the deadline is spooled (or counted as dropped without a spool). Idempotent. */
  shutdown(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    return this.#lazy.close(timeoutMs);
  }

  stats(): ExporterStatsDetail {
    return this.#lazy.stats();
  }
}

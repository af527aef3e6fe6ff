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
import { message } from '../../export/errors.js';
import type { Send } from '../../export/layers.js';
import type { ResolvedConfig } from '../../export/options.js';
import type { Pipeline } from '../../export/pipeline.js';
import { buildStats, Counters, type CallerCounts, type ExporterStatsDetail } from '../../export/stats.js';
import type { SpanSink } from '../sampling/processor.js';
import { spanBytes } from './span-size.js';

export class JobscopeSpanExporter implements SpanExporter, SpanSink {
  readonly #c: ResolvedConfig;
  readonly #counters = new Counters();
  readonly #caller: CallerCounts = {
    accepted: 0, droppedOversize: 0, droppedQueueFull: 0, droppedClosed: 0, queueBytes: 0, spoolDir: null, lastError: null,
  };
  readonly #ready: Promise<void>;
  #pipeline: Pipeline<ReadableSpan> | null = null;
  #early: ReadableSpan[] = [];
  #earlyBytes: number[] = [];
  #closing: Promise<void> | null = null;

  /** `c` from resolveOptions(…, 'traces'); `post` replaces the HTTP client (tests). */
  constructor(c: ResolvedConfig, post?: Send) {
    this.#c = c;
    this.#ready = Promise.all([import('../../export/pipeline.js'), import('./span-encoder.js')]).then(([{ Pipeline }, { SpanBatchEncoder }]) => {
      const p = new Pipeline<ReadableSpan>(c, this.#counters, {
        onError: (e) => { this.#caller.lastError = message(e); },
        onSpool: (dir) => { this.#caller.spoolDir = dir; },
      }, post, new SpanBatchEncoder(c.gzipLevel));
      for (let i = 0; i < this.#early.length; i++) if (!p.offer(this.#early[i], this.#earlyBytes[i], true)) this.#caller.droppedQueueFull++;
      this.#early = [];
      this.#earlyBytes = [];
      this.#caller.queueBytes = 0;
      this.#pipeline = p;
    }, (e) => { this.#caller.lastError = `exporter pipeline failed to load: ${message(e)}`; });
  }

  /** Takes one finished span; false when it could not (counted). Never throws, never waits. */
  offer(span: ReadableSpan): boolean {
    const k = this.#caller;
    k.accepted++;
    if (this.#closing) {
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
    const p = this.#pipeline;
    if (p ? p.offer(span, bytes) : this.#hold(span, bytes)) return true;
    k.droppedQueueFull++;
    return false;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    let ok = true;
    for (const s of spans) ok = this.offer(s) && ok;
    resultCallback(ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error('jobscope span exporter: spans dropped (queue full or shut down), see stats()') });
  }

  /** Sends (or spools) what was taken so far, by the deadline. */
  async flush(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    try {
      await this.#ready;
      await this.#pipeline?.flush(deadline);
    } catch (e) {
      this.#caller.lastError = message(e);
    }
  }

  forceFlush(): Promise<void> {
    return this.flush();
  }

  /** flush, then stop: what is not sent by the deadline is spooled (or counted as dropped without a spool). Idempotent. */
  shutdown(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.#closing ??= this.#ready
      .then(() => this.#pipeline?.close(deadline))
      .catch((e) => { this.#caller.lastError = message(e); });
    return this.#closing;
  }

  stats(): ExporterStatsDetail {
    return buildStats(this.#counters, this.#caller);
  }

  #hold(span: ReadableSpan, bytes: number): boolean {
    if (this.#caller.queueBytes + bytes > this.#c.overflowBytes) return false;
    this.#early.push(span);
    this.#earlyBytes.push(bytes);
    this.#caller.queueBytes += bytes;
    return true;
  }
}

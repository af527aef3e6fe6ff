/**
 * mode 'inline': the pipeline on the caller's thread, for environments
 * without worker threads and for tests. write() only appends to the open
 * batch; parsing, encoding and sending run later (timers, async gzip and
 * I/O), so the event loop is never held for long, but the CPU is this
 * thread's. Same bounds and policies as the worker mode; when encoding and
 * spool writes fall behind by maxQueueBytes, write() drops and counts.
 *
 * The pipeline's modules (OTLP serializer, disk log, …) are loaded on first
 * use, so that importing the SDK stays cheap for worker mode; lines written
 * meanwhile wait in a list bounded by overflowBytes.
 */
import type { LineSink } from '../contract.js';
import type { Send } from './layers.js';
import { LazyPipeline } from './lazy-pipeline.js';
import type { ResolvedConfig } from './options.js';
import type { ExporterStatsDetail } from './stats.js';

export class InlineSink implements LineSink {
  readonly #c: ResolvedConfig;
  readonly #lazy: LazyPipeline<string>;

  constructor(c: ResolvedConfig, post?: Send) {
    this.#c = c;
    this.#lazy = new LazyPipeline<string>(c, post);
  }

  write(line: string): boolean {
    const k = this.#lazy.caller;
    k.accepted++;
    if (typeof line !== 'string' || line.length > this.#c.maxLineLength) {
      k.droppedOversize++;
      return false;
    }
    return this.#lazy.offer(line, line.length);
  }

  flush(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    return this.#lazy.flush(timeoutMs);
  }

  close(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    return this.#lazy.close(timeoutMs);
  }

  stats(): ExporterStatsDetail {
    return this.#lazy.stats();
  }
}

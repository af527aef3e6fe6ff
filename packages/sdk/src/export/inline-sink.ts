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
import { message } from './errors.js';
import type { Send } from './layers.js';
import type { ResolvedConfig } from './options.js';
import type { Pipeline } from './pipeline.js';
import { buildStats, Counters, type CallerCounts, type ExporterStatsDetail } from './stats.js';

export class InlineSink implements LineSink {
  readonly #c: ResolvedConfig;
  readonly #counters = new Counters();
  readonly #caller: CallerCounts = {
    accepted: 0, droppedOversize: 0, droppedQueueFull: 0, droppedClosed: 0, queueBytes: 0, spoolDir: null, lastError: null,
  };
  readonly #ready: Promise<void>;
  #pipeline: Pipeline | null = null;
  #early: string[] = [];
  #closing: Promise<void> | null = null;

  constructor(c: ResolvedConfig, post?: Send) {
    this.#c = c;
    this.#ready = import('./pipeline.js').then(({ Pipeline }) => {
      const p = new Pipeline(c, this.#counters, {
        onError: (e) => { this.#caller.lastError = message(e); },
        onSpool: (dir) => { this.#caller.spoolDir = dir; },
      }, post);
      for (const line of this.#early) if (!p.offer(line, line.length, true)) this.#caller.droppedQueueFull++;
      this.#early = [];
      this.#caller.queueBytes = 0;
      this.#pipeline = p;
    }, (e) => { this.#caller.lastError = `exporter pipeline failed to load: ${message(e)}`; });
  }

  write(line: string): boolean {
    const k = this.#caller;
    k.accepted++;
    if (typeof line !== 'string' || line.length > this.#c.maxLineLength) {
      k.droppedOversize++;
      return false;
    }
    if (this.#closing) {
      k.droppedClosed++;
      return false;
    }
    const p = this.#pipeline;
    if (p ? p.offer(line, line.length) : this.#hold(line)) return true;
    k.droppedQueueFull++;
    return false;
  }

  async flush(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    try {
      await this.#ready;
      await this.#pipeline?.flush(deadline);
    } catch (e) {
      this.#caller.lastError = message(e);
    }
  }

  close(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.#closing ??= this.#ready
      .then(() => this.#pipeline?.close(deadline))
      .catch((e) => { this.#caller.lastError = message(e); });
    return this.#closing;
  }

  stats(): ExporterStatsDetail {
    return buildStats(this.#counters, this.#caller);
  }

  #hold(line: string): boolean {
    if (this.#caller.queueBytes + line.length > this.#c.overflowBytes) return false;
    this.#early.push(line);
    this.#caller.queueBytes += line.length;
    return true;
  }
}

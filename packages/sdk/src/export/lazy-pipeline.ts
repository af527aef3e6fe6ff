/**
 * The exporter pipeline on the caller's thread, loaded on first use (so
 * that importing the SDK stays cheap): items offered before its modules are
 * loaded wait in a list bounded by overflowBytes. Shared by InlineSink (log
 * lines, mode 'inline') and the span exporter; each checks its own items
 * (size, shape) first and counts `accepted` itself.
 */
import type { BatchEncoding } from './batch.js';
import { message } from './errors.js';
import type { Send } from './layers.js';
import type { ResolvedConfig } from './options.js';
import type { Pipeline } from './pipeline.js';
import { buildStats, Counters, type CallerCounts, type ExporterStatsDetail } from './stats.js';

export class LazyPipeline<T> {
  readonly caller: CallerCounts = {
    accepted: 0, droppedOversize: 0, droppedQueueFull: 0, droppedClosed: 0, queueBytes: 0, spoolDir: null, lastError: null,
  };
  readonly #counters = new Counters();
  readonly #c: ResolvedConfig;
  readonly #ready: Promise<void>;
  #pipeline: Pipeline<T> | null = null;
  #early: T[] = [];
  #earlyBytes: number[] = [];
  #closing: Promise<void> | null = null;

  /** `encoder` loads the batch encoding (default: log lines to OTLP logs); `post` replaces the HTTP client (tests). */
  constructor(c: ResolvedConfig, post?: Send, encoder?: () => Promise<BatchEncoding<T>>) {
    this.#c = c;
    this.#ready = Promise.all([import('./pipeline.js'), encoder?.()]).then(([{ Pipeline }, enc]) => {
      const p = new Pipeline<T>(c, this.#counters, {
        onError: (e) => { this.caller.lastError = message(e); },
        onSpool: (dir) => { this.caller.spoolDir = dir; },
      }, post, enc);
      for (let i = 0; i < this.#early.length; i++) if (!p.offer(this.#early[i]!, this.#earlyBytes[i]!, true)) this.caller.droppedQueueFull++;
      this.#early = [];
      this.#earlyBytes = [];
      this.caller.queueBytes = 0;
      this.#pipeline = p;
    }, (e) => { this.caller.lastError = `exporter pipeline failed to load: ${message(e)}`; });
  }

  get closing(): boolean {
    return this.#closing !== null;
  }

  /** Takes one item of `bytes`; false when closed or full (counted). Never throws, never waits. */
  offer(item: T, bytes: number): boolean {
    if (this.#closing) {
      this.caller.droppedClosed++;
      return false;
    }
    const p = this.#pipeline;
    if (p ? p.offer(item, bytes) : this.#hold(item, bytes)) return true;
    this.caller.droppedQueueFull++;
    return false;
  }

  /** Sends (or spools) what was taken so far, by the deadline. */
  async flush(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    try {
      await this.#ready;
      await this.#pipeline?.flush(deadline);
    } catch (e) {
      this.caller.lastError = message(e);
    }
  }

  /** flush, then stop: what is not sent by the deadline is spooled (or counted as dropped without a spool). Idempotent. */
  close(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.#closing ??= this.#ready
      .then(() => this.#pipeline?.close(deadline))
      .catch((e) => { this.caller.lastError = message(e); });
    return this.#closing;
  }

  stats(): ExporterStatsDetail {
    return buildStats(this.#counters, this.caller);
  }

  #hold(item: T, bytes: number): boolean {
    if (this.caller.queueBytes + bytes > this.#c.overflowBytes) return false;
    this.#early.push(item);
    this.#earlyBytes.push(bytes);
    this.caller.queueBytes += bytes;
    return true;
  }
}

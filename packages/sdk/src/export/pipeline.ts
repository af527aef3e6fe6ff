/**
 * The exporter's engine, the same on the worker thread and inline: lines in
 * (offer; or any items with a BatchEncoding of their own, e.g. spans) → batches cut by count, bytes or age → encoded in order → the
 * queue (memory, or the spool) → the sender. flush/close drive it to a
 * deadline: try to send, then spool what is left, then stop.
 *
 * Memory bound (line bytes): the open batch (< maxBatchBytes) + batches
 * encoding and being written to the spool (offer refuses past
 * maxQueueBytes: `saturated`) + the memory queue (<= maxQueueBytes, beyond
 * it batches go to the spool).
 */
import { BatchEncoder, type BatchEncoding } from './batch.js';
import { Delivery } from './delivery.js';
import type { Send } from './layers.js';
import type { ResolvedConfig } from './options.js';
import { BatchQueue } from './queue.js';
import { Sender } from './sender.js';
import { Spool } from './spool.js';
import { C, type Counters } from './stats.js';

export interface PipelineHooks {
  onError(e: unknown): void;
  /** The spool directory in use (null: none). */
  onSpool(dir: string | null): void;
}

/** T: what offer() takes (JSON log lines by default; spans with the tracing encoder). */
export class Pipeline<T = string> {
  readonly #c: ResolvedConfig;
  readonly #counters: Counters;
  readonly #hooks: PipelineHooks;
  readonly #encoder: BatchEncoding<T>;
  readonly #delivery: Delivery;
  readonly #queue: BatchQueue;
  readonly #sender: Sender;
  #lines: T[] = [];
  #lineBytes = 0;
  #timer: NodeJS.Timeout | null = null;
  #encoding: Promise<unknown>;
  #encodingBytes = 0;
  #lastNo = 0;
  #closing: Promise<void> | null = null;

  /** `post` replaces the HTTP client (tests); `encoder` the JSON-lines-to-OTLP-logs encoding (required when T is not string). */
  constructor(c: ResolvedConfig, counters: Counters, hooks: PipelineHooks, post?: Send, encoder?: BatchEncoding<T>) {
    this.#c = c;
    this.#counters = counters;
    this.#hooks = hooks;
    this.#encoder = encoder ?? (new BatchEncoder(c) as unknown as BatchEncoding<T>);
    this.#delivery = new Delivery(c, counters, post);
    const onError = (e: unknown): void => hooks.onError(e);
    this.#queue = new BatchQueue(c.maxQueueBytes, counters, () => this.#delivery.breakerOpen(), onError);
    // Batches are routed only once the spool is open: its leftovers (a previous process's) go first.
    this.#encoding = this.#openSpool();
    this.#sender = new Sender(this.#queue, this.#delivery, counters, onError);
  }

  /** Too much is being encoded or written to disk: the caller should hold lines back. */
  get saturated(): boolean {
    return this.#encodingBytes + this.#lineBytes + this.#queue.appendingBytes > this.#c.maxQueueBytes;
  }

  /** Resolves when offer() may take lines again (or after timeoutMs). */
  async waitForRoom(timeoutMs: number): Promise<void> {
    if (this.saturated) await this.#queue.changed.wait(timeoutMs);
  }

  /** Takes one line (bytes: its UTF-8 size, or an estimate); false when saturated (unless forced) or closing. */
  offer(line: T, bytes: number, force = false): boolean {
    if (this.#closing || (!force && this.saturated)) return false;
    this.#lines.push(line);
    this.#lineBytes += bytes;
    if (this.#lines.length >= this.#c.maxBatchRecords || this.#lineBytes >= this.#c.maxBatchBytes) this.#cut();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#cut(), this.#c.maxBatchDelayMs);
      this.#timer.unref();
    }
    this.#gauge();
    return true;
  }

  /** Sends what was offered so far, spooling what is not sent by deadline - reserve; resolves by the deadline. */
  async flush(deadline: number): Promise<void> {
    const hold = keepAlive();
    try {
      await this.#flush(deadline);
    } finally {
      clearInterval(hold);
    }
  }

  async #flush(deadline: number): Promise<void> {
    this.#cut();
    const target = this.#lastNo;
    const reserve = Math.min(1000, Math.max(50, (deadline - Date.now()) / 5));
    if (await this.#settled(target, deadline - reserve)) return;
    this.#queue.forceSpool(false);
    await this.#settled(target, deadline);
  }

  /** flush, then stop: the rest goes to the spool (or is counted as dropped without one). Idempotent. */
  close(deadline: number, sendFirst = true): Promise<void> {
    // A close without sending (process exit) cuts a running close short: spool now.
    if (this.#closing && !sendFirst) this.#queue.forceSpool(true);
    this.#closing ??= this.#close(deadline, sendFirst);
    return this.#closing;
  }

  async #close(deadline: number, sendFirst: boolean): Promise<void> {
    const hold = keepAlive();
    try {
      if (sendFirst) await this.#flush(deadline);
      this.#cut();
      this.#queue.forceSpool(true);
      // Spool writes take milliseconds; give them a moment even at a passed deadline.
      await this.#settled(this.#lastNo, Math.max(deadline, Date.now() + 200));
      await this.#sender.stop(100);
      this.#queue.dropUnsettledMemory();
      await this.#queue.spool?.close();
    } catch (e) {
      this.#hooks.onError(e);
    } finally {
      clearInterval(hold);
      this.#delivery.close();
      this.#gauge();
    }
  }

  async #settled(no: number, deadline: number): Promise<boolean> {
    while (!this.#queue.settledThrough(no)) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.#queue.changed.wait(left);
    }
    return true;
  }

  #cut(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#lines.length === 0) return;
    const lines = this.#lines;
    const bytes = this.#lineBytes;
    this.#lines = [];
    this.#lineBytes = 0;
    const no = this.#encoder.nextNo();
    this.#lastNo = no;
    this.#queue.track(no);
    this.#encodingBytes += bytes;
    const count = lines.length;
    // An eager encoder serializes now, on the caller's turn (its async part, gzip, runs in the pool):
    // the producer pays as it goes and the big in-memory items are freed at once. Results still join the queue in order.
    const eager = this.#encoder.eager ? this.#encoder.encode(no, lines, bytes) : null;
    eager?.catch(() => {}); // handled in the chain below
    this.#encoding = this.#encoding.then(async () => {
      try {
        const { batch, malformed } = await (eager ?? this.#encoder.encode(no, lines, bytes));
        this.#counters.add(C.droppedMalformed, malformed);
        if (batch) this.#queue.add(batch);
        else this.#queue.settle(no);
      } catch (e) {
        this.#counters.add(C.droppedMalformed, count);
        this.#hooks.onError(e);
        this.#queue.settle(no);
      } finally {
        this.#encodingBytes -= bytes;
        this.#gauge();
        this.#queue.changed.notify();
      }
    });
  }

  async #openSpool(): Promise<void> {
    let spool: Spool | null = null;
    const c = this.#c;
    if (c.spoolDir) {
      try {
        spool = await Spool.open(c.spoolDir, c.spoolSlots, c.maxSpoolBytes, c.maxBatchBytes, (e) => this.#hooks.onError(e));
      } catch (e) {
        this.#hooks.onError(new Error(`spool ${c.spoolDir} unavailable, running without one: ${(e as Error)?.message ?? String(e)}`));
      }
    }
    this.#hooks.onSpool(spool?.dir ?? null);
    this.#queue.attach(spool);
  }

  #gauge(): void {
    this.#counters.set(C.queueBytes, this.#lineBytes + this.#encodingBytes);
  }
}

/** Our timers are unref'd; while a flush or close runs, this keeps the event loop (and the caller's await) alive. */
function keepAlive(): NodeJS.Timeout {
  return setInterval(() => {}, 1 << 30);
}

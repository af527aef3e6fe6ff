/**
 * mode 'worker' (default), the caller's side: write() puts the line in the
 * shared ring and returns; the worker thread (worker.ts) does the rest.
 * Lines that find the ring full wait in a bounded overflow list (moved to
 * the ring as it drains); past that bound they are dropped and counted.
 *
 * The worker is unref'd, as pino's transports are: it never keeps the
 * process alive, except while a flush/close is awaited. On process 'exit'
 * (when close was not awaited) the caller's thread hands the worker its
 * overflow and blocks up to exitTimeoutMs in Atomics.wait while the worker
 * spools what is in memory: the worker dies with the process right after.
 */
import { Worker } from 'node:worker_threads';
import type { LineSink } from '../contract.js';
import { message } from './errors.js';
import type { ResolvedConfig } from './options.js';
import { createRing, CTL_EXIT_DONE, RingWriter } from './ring.js';
import { buildStats, COUNTER_SLOTS, Counters, type CallerCounts, type ExporterStatsDetail } from './stats.js';
import type { ControlMessage, WorkerData } from './worker.js';

/** How long past its deadline a request may take before the caller stops waiting for the worker. */
const GRACE_MS = 1000;
const OVERFLOW_RETRY_MS = 5;

type State = 'open' | 'closing' | 'closed' | 'dead';

export class ThreadedSink implements LineSink {
  readonly #c: ResolvedConfig;
  readonly #ring: RingWriter;
  readonly #ctl: Int32Array;
  readonly #counters: Counters;
  readonly #worker: Worker;
  readonly #caller: CallerCounts = {
    accepted: 0, droppedOversize: 0, droppedQueueFull: 0, droppedClosed: 0, queueBytes: 0, spoolDir: null, lastError: null,
  };
  readonly #pending = new Map<number, () => void>();
  #overflow: string[] = [];
  #overflowBytes = 0;
  #overflowTimer: NodeJS.Timeout | null = null;
  #state: State = 'open';
  #nextId = 1;
  #closing: Promise<void> | null = null;
  readonly #onExit = (): void => this.#exitSync();

  constructor(c: ResolvedConfig) {
    this.#c = c;
    const ring = createRing(c.ringBytes);
    const stats = new SharedArrayBuffer(COUNTER_SLOTS * 8);
    this.#ring = new RingWriter(ring);
    this.#ctl = new Int32Array(ring.ctl);
    this.#counters = new Counters(stats);
    const workerData: WorkerData = { config: c, ring, stats };
    this.#worker = new Worker(new URL('./worker.js', import.meta.url), { workerData });
    this.#worker.on('message', (m: { t: string; id?: number; message?: string; dir?: string | null }) => {
      if (m.t === 'done') this.#pending.get(m.id as number)?.();
      else if (m.t === 'error') this.#caller.lastError = m.message ?? null;
      else if (m.t === 'spool') this.#caller.spoolDir = m.dir ?? null;
    });
    this.#worker.on('error', (e) => this.#died(`exporter worker failed: ${message(e)}`));
    this.#worker.on('exit', (code) => {
      if (this.#state !== 'closed') this.#died(`exporter worker exited (code ${code})`);
    });
    // After the listeners: adding a 'message' listener refs the worker again.
    this.#worker.unref();
    if (c.exitHook) process.on('exit', this.#onExit);
  }

  write(line: string): boolean {
    const k = this.#caller;
    k.accepted++;
    if (typeof line !== 'string' || line.length > this.#c.maxLineLength) {
      k.droppedOversize++;
      return false;
    }
    if (this.#state !== 'open') {
      if (this.#state === 'dead') k.droppedQueueFull++;
      else k.droppedClosed++;
      return false;
    }
    if (this.#overflow.length === 0 && this.#ring.write(line)) return true;
    return this.#spill(line);
  }

  flush(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    if (this.#state !== 'open') return this.#closing ?? Promise.resolve();
    return this.#request('flush', timeoutMs);
  }

  close(timeoutMs = this.#c.flushTimeoutMs): Promise<void> {
    if (this.#closing) return this.#closing;
    if (this.#state === 'dead') return Promise.resolve();
    this.#state = 'closing';
    this.#closing = this.#request('close', timeoutMs).then(() => {
      this.#state = 'closed';
      process.off('exit', this.#onExit);
      void this.#worker.terminate().catch(() => {});
    });
    return this.#closing;
  }

  stats(): ExporterStatsDetail {
    this.#caller.queueBytes = this.#ring.used() + this.#overflowBytes;
    return buildStats(this.#counters, this.#caller);
  }

  /** Asks the worker; resolves on its answer, or GRACE_MS after the deadline at the latest. Never rejects. */
  #request(t: 'flush' | 'close', timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const lines = this.#takeOverflow();
    return new Promise<void>((resolve) => {
      const id = this.#nextId++;
      const finish = (): void => {
        clearTimeout(timer);
        this.#pending.delete(id);
        if (this.#pending.size === 0 && this.#state !== 'closed') this.#worker.unref();
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs + GRACE_MS);
      this.#pending.set(id, finish);
      this.#worker.ref(); // the answer must be able to arrive even if nothing else keeps the loop alive
      const msg: ControlMessage = { t, id, deadline, lines };
      try {
        this.#worker.postMessage(msg);
        this.#ring.wake();
      } catch (e) {
        this.#caller.lastError = message(e);
        finish();
      }
    });
  }

  #spill(line: string): boolean {
    if (this.#overflowBytes + line.length > this.#c.overflowBytes) {
      this.#caller.droppedQueueFull++;
      return false;
    }
    this.#overflow.push(line);
    this.#overflowBytes += line.length;
    this.#ring.wake();
    if (!this.#overflowTimer) {
      this.#overflowTimer = setTimeout(() => this.#drainOverflow(), OVERFLOW_RETRY_MS);
      this.#overflowTimer.unref();
    }
    return false;
  }

  #drainOverflow(): void {
    this.#overflowTimer = null;
    let i = 0;
    while (i < this.#overflow.length && this.#ring.write(this.#overflow[i])) this.#overflowBytes -= this.#overflow[i++].length;
    if (i > 0) this.#overflow = this.#overflow.slice(i);
    if (this.#overflow.length > 0 && this.#state === 'open') {
      this.#ring.wake();
      this.#overflowTimer = setTimeout(() => this.#drainOverflow(), OVERFLOW_RETRY_MS);
      this.#overflowTimer.unref();
    }
  }

  /** Overflow lines that still do not fit in the ring travel with the control message. */
  #takeOverflow(): string[] {
    if (this.#overflowTimer) clearTimeout(this.#overflowTimer);
    this.#drainOverflow();
    if (this.#overflowTimer) clearTimeout(this.#overflowTimer);
    this.#overflowTimer = null;
    const lines = this.#overflow;
    this.#overflow = [];
    this.#overflowBytes = 0;
    return lines;
  }

  /** process 'exit': no more event loop here; block (bounded) while the worker spools. */
  #exitSync(): void {
    if (this.#state === 'closed' || this.#state === 'dead') return;
    try {
      Atomics.store(this.#ctl, CTL_EXIT_DONE, 0);
      const msg: ControlMessage = { t: 'exit', deadline: Date.now() + this.#c.exitTimeoutMs, lines: this.#takeOverflow() };
      this.#worker.postMessage(msg);
      this.#ring.wake();
      Atomics.wait(this.#ctl, CTL_EXIT_DONE, 0, this.#c.exitTimeoutMs + 500);
    } catch {
      // exiting anyway
    }
  }

  #died(reason: string): void {
    if (this.#state === 'dead' || this.#state === 'closed') return;
    this.#state = 'dead';
    this.#caller.lastError = reason;
    process.off('exit', this.#onExit);
    for (const finish of [...this.#pending.values()]) finish();
  }
}

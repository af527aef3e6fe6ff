/**
 * Where batches wait: a bounded memory queue in front of the disk spool,
 * kept in FIFO order by one rule: outside spool mode new batches go to
 * memory; in spool mode they go to the spool, and entering spool mode first
 * moves the batch in the sender's hand and the whole memory queue there.
 * So at any time the order is [hand] + memory + spool, memory is empty
 * whenever the spool holds unsent batches, and a replay (also by the next
 * process) sends in the order batches were made.
 *
 * Spool mode starts when the breaker is not closed, when memory would pass
 * maxQueueBytes, or on a flush/close deadline; it ends when the spool is
 * fully acknowledged (and never after close began).
 *
 * A batch is "settled" once sent, dropped or written to the spool: flush()
 * waits on that. Batch numbers are tracked in a Set in creation order, so
 * its first element is the oldest unsettled batch.
 */
import type { Batch } from './batch.js';
import type { Counters } from './stats.js';
import { C } from './stats.js';
import { Notifier } from './notifier.js';
import { isSpoolFull, type Spool } from './spool.js';

export interface Item {
  batch: Batch;
  /** Spool seq, or 0 for a batch from memory. */
  seq: number;
  /** Moved to the spool while in the sender's hand: the spool owns it now. */
  handedOff: boolean;
  /** Aborts the item's request when it is handed off at a deadline. */
  abort: AbortController;
}

export class BatchQueue {
  readonly changed = new Notifier();
  readonly #maxBytes: number;
  readonly #counters: Counters;
  readonly #onError: (e: unknown) => void;
  readonly #breakerOpen: () => boolean;
  readonly #mem: Batch[] = [];
  readonly #unsettled = new Set<number>();
  #memBytes = 0;
  #appendingBytes = 0;
  #spool: Spool | null = null;
  #spoolMode = true; // until attach() tells what the spool holds
  #pinned = false;
  #hand: Item | null = null;

  constructor(maxBytes: number, counters: Counters, breakerOpen: () => boolean, onError: (e: unknown) => void) {
    this.#maxBytes = maxBytes;
    this.#counters = counters;
    this.#breakerOpen = breakerOpen;
    this.#onError = onError;
  }

  /** The spool is open (or there is none): a spool with unsent batches (or a close already begun) starts in spool mode. */
  attach(spool: Spool | null): void {
    this.#spool = spool;
    this.#spoolMode = spool !== null && (this.#pinned || spool.pending > 0);
    this.#gauges();
    this.changed.notify();
  }

  get spool(): Spool | null { return this.#spool; }
  get appendingBytes(): number { return this.#appendingBytes; }

  track(no: number): void {
    this.#unsettled.add(no);
  }

  settle(no: number): void {
    if (this.#unsettled.delete(no)) this.changed.notify();
  }

  /** True once every batch numbered <= `no` is settled. */
  settledThrough(no: number): boolean {
    const first = this.#unsettled.values().next();
    return first.done === true || first.value > no;
  }

  /** Routes a newly encoded batch (see the header). */
  add(b: Batch): void {
    if (!this.#spoolMode && this.#spool && (this.#breakerOpen() || this.#memBytes + b.bytes > this.#maxBytes)) this.enterSpoolMode();
    if (this.#spoolMode && this.#spool) return this.#append(b);
    if (this.#memBytes + b.bytes > this.#maxBytes) {
      this.#counters.add(C.droppedNoSpool, b.records);
      return this.settle(b.no);
    }
    this.#mem.push(b);
    this.#memBytes += b.bytes;
    this.#gauges();
    this.changed.notify();
  }

  /** Moves the hand (if from memory) and the memory queue to the spool, in order; later batches follow them. */
  enterSpoolMode(): void {
    if (!this.#spool) return;
    this.#spoolMode = true;
    const h = this.#hand;
    if (h && h.seq === 0 && !h.handedOff) {
      h.handedOff = true;
      this.#append(h.batch);
    }
    for (const b of this.#mem) this.#append(b);
    this.#mem.length = 0;
    this.#memBytes = 0;
    this.#gauges();
  }

  /** At a deadline: everything in memory to the spool, the hand's request aborted; stays so when pinned (close). */
  forceSpool(pin: boolean): void {
    this.#pinned ||= pin;
    this.enterSpoolMode();
    if (this.#hand?.handedOff) this.#hand.abort.abort();
  }

  /** The next batch to send: memory (only non-empty outside spool mode), else the spool; null when none. */
  async take(): Promise<Item | null> {
    const b = this.#mem.shift();
    if (b) {
      this.#memBytes -= b.bytes;
      return this.#hold(b, 0);
    }
    const spool = this.#spool;
    if (!spool) return null;
    while (spool.hasUnread()) {
      const e = await spool.read();
      if (!e) break;
      if (e.batch) return this.#hold(e.batch, e.seq);
      this.#onError(new Error(`spool record ${e.seq} is unreadable; skipped`));
      await spool.ack(e.seq);
    }
    if (this.#spoolMode && !this.#pinned && this.#appendingBytes === 0 && spool.pending === 0 && !this.#breakerOpen()) {
      this.#spoolMode = false;
    }
    return null;
  }

  /** The sender is done with its item; counts only what this item settles (a handed-off one is the spool's). */
  finish(item: Item, sent: number, rejected: number): void {
    if (this.#hand === item) this.#hand = null;
    if (item.handedOff) return;
    this.#counters.add(C.sent, sent);
    this.#counters.add(C.droppedRejected, rejected);
    if (sent > 0) this.#counters.add(C.batchesSent, 1);
    if (item.seq > 0) {
      this.#counters.add(C.replayed, sent);
      this.#spool?.ack(item.seq).then(() => this.#gauges(), (e) => this.#onError(e));
    } else {
      this.settle(item.batch.no);
    }
    this.#gauges();
  }

  /** After close: batches that could go nowhere are lost; count them. */
  dropUnsettledMemory(): void {
    const h = this.#hand;
    if (h && h.seq === 0 && !h.handedOff) this.#counters.add(C.droppedNoSpool, h.batch.records);
    for (const b of this.#mem) this.#counters.add(C.droppedNoSpool, b.records);
    this.#mem.length = 0;
    this.#memBytes = 0;
    this.#hand = null;
  }

  #hold(batch: Batch, seq: number): Item {
    this.#gauges();
    this.#hand = { batch, seq, handedOff: false, abort: new AbortController() };
    return this.#hand;
  }

  #append(b: Batch): void {
    const spool = this.#spool as Spool;
    this.#appendingBytes += b.bytes;
    spool.append(b).then(
      () => this.#counters.add(C.spooled, b.records),
      (e) => {
        this.#counters.add(isSpoolFull(e) ? C.droppedSpoolFull : C.droppedSpoolError, b.records);
        if (!isSpoolFull(e)) this.#onError(e);
      },
    ).finally(() => {
      this.#appendingBytes -= b.bytes;
      this.settle(b.no);
      this.#gauges();
      this.changed.notify();
    });
  }

  #gauges(): void {
    this.#counters.set(C.memQueueBytes, this.#memBytes + this.#appendingBytes);
    this.#counters.set(C.spoolBytes, this.#spool ? this.#spool.bytes() : 0);
    this.#counters.set(C.spoolPending, this.#spool ? this.#spool.pending : 0);
  }
}

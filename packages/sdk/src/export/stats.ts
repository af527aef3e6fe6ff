/**
 * Counters of the exporter. The pipeline (on the worker thread in worker
 * mode) writes them into a Float64Array over a SharedArrayBuffer, so
 * stats() on the caller's thread is a plain read: no message, no await.
 * Each slot has one writer thread; readers may see a slightly old value.
 *
 * `dropped` is the sum of the drop reasons below it; every drop is counted
 * in exactly one of them.
 */
import type { ExporterStats } from '../contract.js';

export const C = {
  sent: 0, retried: 1, spooled: 2, replayed: 3, batchesSent: 4, breaker: 5, queueBytes: 6, spoolBytes: 7,
  droppedSpoolFull: 8, droppedMalformed: 9, droppedRejected: 10, droppedNoSpool: 11, droppedSpoolError: 12,
  batchesFailed: 13, spoolPending: 14, memQueueBytes: 15,
} as const;
export const COUNTER_SLOTS = 16;

export const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;

/**
 * ExporterStats plus the reasons behind `dropped` and a few gauges.
 * `accepted` counts every write() call; a line refused at once (oversize,
 * after close, queue full) is in `dropped` too, so at rest
 * accepted = sent + dropped + spoolPending's records + what is in flight.
 */
export interface ExporterStatsDetail extends ExporterStats {
  /** Spool at its byte bound: the batch was dropped (the documented drop policy). */
  droppedSpoolFull: number;
  /** Lines that were not JSON objects. */
  droppedMalformed: number;
  /** Lines longer than maxLineLength, or write() called with something other than a string. */
  droppedOversize: number;
  /** Records the server refused for good (400/413/415, or rejected in an OTLP partial success). */
  droppedRejected: number;
  /** Ring and overflow full (the worker cannot keep up), or the worker died. */
  droppedQueueFull: number;
  /** Memory full or shutdown deadline passed while there was no spool (spoolDir false, or it could not be opened). */
  droppedNoSpool: number;
  /** The spool failed to write (I/O error). */
  droppedSpoolError: number;
  /** write() after close(). */
  droppedClosed: number;
  /** Retry cycles that ended without success (the batch is kept and retried later). */
  batchesFailed: number;
  /** Batches waiting in the spool (written, not yet acknowledged by the server). */
  spoolPending: number;
  /** The spool directory in use, or null. */
  spoolDir: string | null;
  /** The last internal error (spool, worker), for diagnosis. */
  lastError: string | null;
}

export class Counters {
  readonly v: Float64Array;
  constructor(buffer: ArrayBufferLike = new ArrayBuffer(COUNTER_SLOTS * 8)) {
    this.v = new Float64Array(buffer);
  }
  add(slot: number, n: number): void {
    this.v[slot] += n;
  }
  set(slot: number, n: number): void {
    this.v[slot] = n;
  }
  get(slot: number): number {
    return this.v[slot];
  }
}

/** Counts kept on the caller's thread. */
export interface CallerCounts {
  accepted: number;
  droppedOversize: number;
  droppedQueueFull: number;
  droppedClosed: number;
  /** Bytes waiting on the caller's side (ring + overflow). */
  queueBytes: number;
  spoolDir: string | null;
  lastError: string | null;
}

export function buildStats(c: Counters, caller: CallerCounts): ExporterStatsDetail {
  const v = c.v;
  const s = {
    droppedSpoolFull: v[C.droppedSpoolFull],
    droppedMalformed: v[C.droppedMalformed],
    droppedOversize: caller.droppedOversize,
    droppedRejected: v[C.droppedRejected],
    droppedQueueFull: caller.droppedQueueFull,
    droppedNoSpool: v[C.droppedNoSpool],
    droppedSpoolError: v[C.droppedSpoolError],
    droppedClosed: caller.droppedClosed,
  };
  let dropped = 0;
  for (const n of Object.values(s)) dropped += n;
  return {
    accepted: caller.accepted,
    sent: v[C.sent],
    retried: v[C.retried],
    spooled: v[C.spooled],
    replayed: v[C.replayed],
    dropped,
    batchesSent: v[C.batchesSent],
    breaker: BREAKER_STATES[v[C.breaker]] ?? 'closed',
    queueBytes: v[C.queueBytes] + v[C.memQueueBytes] + caller.queueBytes,
    spoolBytes: v[C.spoolBytes],
    ...s,
    batchesFailed: v[C.batchesFailed],
    spoolPending: v[C.spoolPending],
    spoolDir: caller.spoolDir,
    lastError: caller.lastError,
  };
}

/**
 * Forms batches from the exporter's DiskLog cursor, in seq order. A batch
 * ends at maxBatchRecords, at maxBatchBytes (a larger record goes alone), or
 * before a record of another signal; records read but not taken wait in a
 * lookahead for the next batch (the cursor cannot be stepped back by one).
 * Past the first record it lingers up to lingerMs for more, only when the
 * log has nothing unread.
 *
 * The restart intent (intent.ts) overrides the limits: when the first
 * unacked record falls in its range, the batch is exactly that range (no
 * lingering, whatever the limits are now), so the resend keeps its id.
 * Records now missing from the range shrink it (a new id then). Records
 * before the range (possible only if the cursor's ledger went back) form
 * ordinary batches that stop short of it.
 */
import type { DiskLogCursor } from '../../buffer/disk/cursor.js';
import { readTelemetryHeader, telemetryPayload } from '../../buffer/telemetry-record.js';
import { BatchBuilder, type Batch, type ReadRecord } from './batch.js';
import { sleep } from './backoff.js';
import { deadline } from './deadline.js';
import type { SendIntent } from './intent.js';

export interface BatchLimits {
  instanceId: string;
  name: string;
  maxBatchRecords: number;
  maxBatchBytes: number;
  lingerMs: number;
}

export class BatchReader {
  readonly #cursor: DiskLogCursor;
  readonly #c: BatchLimits;
  #intent: SendIntent | null;
  #ahead: ReadRecord[] = [];
  #building: BatchBuilder | null = null;

  constructor(cursor: DiskLogCursor, limits: BatchLimits, intent: SendIntent | null) {
    this.#cursor = cursor;
    this.#c = limits;
    this.#intent = intent;
  }

  /** Earliest receive time among records read but not yet handed out (null when none). */
  get oldestUnsentAtMs(): number | null {
    const building = this.#building?.oldestReceivedAtMs ?? null;
    if (building !== null) return building;
    // In seq order, so (receive times being appended in order) its first readable record is the oldest.
    for (const r of this.#ahead) if (r.header) return r.header.receivedAtMs;
    return null;
  }

  /** Forgets what was read but not handed out; the next read starts right after the cursor's ack. */
  reset(): void {
    this.#ahead = [];
    this.#building = null;
    this.#cursor.rewind();
  }

  /**
   * The next batch, waiting for data as long as needed. Resolves null when
   * `stop` aborts first (what was read is forgotten: it is still unacked).
   */
  async next(stop: AbortSignal): Promise<Batch | null> {
    try {
      return await this.#next(stop);
    } finally {
      this.#building = null;
    }
  }

  async #next(stop: AbortSignal): Promise<Batch | null> {
    const { maxBatchRecords, maxBatchBytes } = this.#c;
    while (this.#ahead.length === 0) {
      if (!this.#cursor.hasUnread() && !(await this.#waitForData(stop, null))) return null;
      if (stop.aborted) return null;
      await this.#read(maxBatchRecords, maxBatchBytes, stop);
    }
    const firstSeq = (this.#ahead[0] as ReadRecord).seq;
    if (this.#intent && firstSeq > this.#intent.lastSeq) this.#intent = null; // done (or all of it lost)
    const exact = this.#intent && firstSeq >= this.#intent.firstSeq ? this.#intent : null;
    const stopBefore = this.#intent && !exact ? this.#intent.firstSeq : Number.POSITIVE_INFINITY;

    const b = new BatchBuilder(exact ? Number.MAX_SAFE_INTEGER : maxBatchRecords, exact ? Number.POSITIVE_INFINITY : maxBatchBytes);
    this.#building = b;
    const lingerUntil = Date.now() + this.#c.lingerMs;
    for (;;) {
      let ended = false;
      while (this.#ahead.length > 0) {
        const r = this.#ahead[0] as ReadRecord;
        const fits = exact ? r.seq <= exact.lastSeq && b.acceptsSignal(r) : r.seq < stopBefore && b.accepts(r);
        if (!fits) {
          ended = true;
          break;
        }
        b.add(this.#ahead.shift() as ReadRecord);
      }
      if (ended || b.full || b.lastSeq >= (exact ? exact.lastSeq : stopBefore - 1)) break;
      if (this.#cursor.hasUnread()) {
        // Read only what may still fit, so the lookahead stays small.
        const records = exact ? exact.lastSeq - b.lastSeq : Math.min(maxBatchRecords - b.records, stopBefore - b.lastSeq - 1);
        const bytes = exact ? maxBatchBytes : maxBatchBytes - b.bytes;
        await this.#read(Math.max(1, records), Math.max(1, bytes), stop);
        if (stop.aborted) return null;
        continue;
      }
      // Nothing unread: an exact range is complete as far as the log still has it.
      if (exact) break;
      const left = lingerUntil - Date.now();
      if (left <= 0) break;
      if (!(await this.#waitForData(stop, left))) {
        if (stop.aborted) return null;
        break;
      }
    }
    return b.build(this.#c.instanceId, this.#c.name);
  }

  async #read(maxRecords: number, maxBytes: number, stop: AbortSignal): Promise<void> {
    const records = await this.#cursor.read(maxRecords, maxBytes);
    for (const r of records) this.#ahead.push(parse(r.seq, r.payload));
    // Unread data that reads as nothing (a lost region being skipped): do not spin.
    if (records.length === 0 && this.#cursor.hasUnread()) await sleep(10, stop).catch(() => {});
  }

  /** True when there is data; false on timeout or stop. */
  async #waitForData(stop: AbortSignal, timeoutMs: number | null): Promise<boolean> {
    const d = timeoutMs === null ? null : deadline(stop, Math.max(1, Math.ceil(timeoutMs)));
    const signal = d ? d.signal : stop;
    try {
      await this.#cursor.waitForData(signal);
      return true;
    } catch (e) {
      if (signal.aborted) return false;
      throw e;
    } finally {
      d?.dispose();
    }
  }
}

const EMPTY = new Uint8Array(0);

function parse(seq: number, record: Buffer): ReadRecord {
  try {
    return { seq, header: readTelemetryHeader(record), payload: telemetryPayload(record) };
  } catch {
    return { seq, header: null, payload: EMPTY };
  }
}

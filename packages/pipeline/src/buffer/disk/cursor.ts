/**
 * A named read cursor: reads records in seq order straight from the segment
 * files (one chunk at a time, never the whole log), remembers what it has
 * delivered, and persists what was acknowledged in its ledger.
 *
 * Positions: `acked` (persisted; everything <= acked is done) and the read
 * position (segment + byte offset) plus `readThrough` (highest seq delivered
 * or skipped). read() moves the read position; ack() moves acked; rewind()
 * moves the read position back to acked so unacked records are redelivered.
 * Seeking to "first seq > acked" starts from the position hint of the last
 * ack (exact in the common case of acking a whole read batch) and otherwise
 * from the start of the segment that holds acked + 1.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ResolvedOptions } from './config.js';
import { storageError } from './errors.js';
import { findNextFrame, readFrames } from './frame-reader.js';
import { Coalescer } from './coalescer.js';
import type { LedgerState, PositionHint } from './ledger.js';
import type { Segment, SegmentSet } from './segments.js';

export interface LogRecord {
  seq: number;
  payload: Buffer;
}

export interface LossSite {
  segment: string;
  offset: number;
  reason: string;
}

/** What a cursor needs from its log (implemented by DiskLog). */
export interface CursorHost {
  readonly opts: ResolvedOptions;
  readonly segments: SegmentSet;
  /** Non-null once the log is closed. */
  closedError(): Error | null;
  /** Highest readable seq. */
  lastSeq(): number;
  waitForAppend(signal?: AbortSignal): Promise<void>;
  /** Records [fromSeq, toSeq] could not be delivered (deduplicated across cursors by the host). */
  reportLoss(fromSeq: number, toSeq: number, site: LossSite | null): void;
  persistLedger(name: string, state: LedgerState): Promise<void>;
  /** The in-memory ack moved (segments may be collectable). */
  onAck(): void;
}

interface BatchMark {
  firstSeq: number;
  first: PositionHint;
  lastSeq: number;
  last: PositionHint;
}

const MAX_MARKS = 1024;

export class DiskLogCursor {
  readonly name: string;
  readonly #host: CursorHost;
  #acked: number;
  #persistedAcked: number;
  #hint: PositionHint | null;
  #seg: Segment | null = null; // null: seek before the next read
  #offset = 0;
  #minSeq = 0; // smallest seq the next frame at #offset may carry
  #readThrough: number;
  #fh: FileHandle | null = null;
  #fhSeg: Segment | null = null;
  #marks: BatchMark[] = [];
  #rewind = false;
  #pendingSite: LossSite | null = null;
  #op: Promise<unknown> = Promise.resolve();
  readonly #ledger: Coalescer;

  constructor(host: CursorHost, name: string, state: LedgerState) {
    this.#host = host;
    this.name = name;
    this.#acked = state.acked;
    this.#persistedAcked = state.acked;
    this.#hint = state.hint;
    this.#readThrough = state.acked;
    this.#ledger = new Coalescer(async () => {
      const state = { acked: this.#acked, hint: this.#hint };
      await this.#host.persistLedger(this.name, state);
      this.#persistedAcked = Math.max(this.#persistedAcked, state.acked);
    });
  }

  /** Everything <= acked is done (in memory; see persistedAcked for the ledger). */
  get acked(): number { return this.#acked; }
  get persistedAcked(): number { return this.#persistedAcked; }

  /** Records after acked that are still on disk (an upper bound if records were lost). */
  get pending(): number {
    const floor = Math.max(this.#acked, this.#host.segments.oldest.firstSeq - 1);
    return Math.max(0, this.#host.lastSeq() - floor);
  }

  /**
   * The next records after the read position, in seq order: at most
   * maxRecords, and at most maxBytes of payload (but always one record if
   * any is available). Resolves [] when the cursor is at the end.
   */
  read(maxRecords = 1000, maxBytes = 4 * 1024 * 1024): Promise<LogRecord[]> {
    const run = this.#op.then(() => this.#read(maxRecords, maxBytes));
    this.#op = run.catch(() => {});
    return run;
  }

  /**
   * Marks every record <= seq as done and persists it (acks issued while a
   * ledger write is in flight share the next write); resolves once the
   * ledger is written. Segments every cursor has acked are deleted right
   * away. Await it or attach a catch.
   */
  ack(seq: number): Promise<void> {
    const closed = this.#host.closedError();
    if (closed) return Promise.reject(closed);
    if (!Number.isSafeInteger(seq) || seq > this.#host.lastSeq()) {
      return Promise.reject(new RangeError(`disk log cursor ${this.name}: cannot ack ${seq}, last seq is ${this.#host.lastSeq()}`));
    }
    if (seq <= this.#acked) return seq <= this.#persistedAcked ? Promise.resolve() : this.#ledger.run();
    this.#acked = seq;
    if (seq > this.#readThrough) this.#readThrough = seq;
    while (this.#marks.length > 0 && this.#marks[0].lastSeq <= seq) this.#hint = (this.#marks.shift() as BatchMark).last;
    if (this.#marks.length > 0 && this.#marks[0].firstSeq <= seq) this.#hint = this.#marks[0].first;
    const persisted = this.#ledger.run();
    this.#host.onAck();
    return persisted;
  }

  /** The next read starts again right after the acked position (retry after a failed send). */
  rewind(): void {
    this.#rewind = true;
  }

  /** True when read() may return records now. */
  hasUnread(): boolean {
    const last = this.#host.lastSeq();
    if (this.#rewind || this.#seg === null) return this.#acked < last;
    if (this.#seg.deleted || !this.#seg.active) return true;
    return this.#offset < this.#seg.size;
  }

  /** Resolves when there is something to read; rejects on abort or when the log closes. */
  async waitForData(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const closed = this.#host.closedError();
      if (closed) throw closed;
      signal?.throwIfAborted();
      if (this.hasUnread()) return;
      await this.#host.waitForAppend(signal);
    }
  }

  /** Waits for reads and ledger writes in flight, then releases the file handle. */
  async close(): Promise<void> {
    await this.#op;
    if (this.#acked > this.#persistedAcked) await this.#ledger.run().catch(() => {});
    await this.#ledger.idle();
    await this.#closeHandle();
  }

  async #read(maxRecords: number, maxBytes: number): Promise<LogRecord[]> {
    const closed = this.#host.closedError();
    if (closed) throw closed;
    const segments = this.#host.segments;
    if (this.#rewind) {
      this.#rewind = false;
      this.#seg = null;
      this.#readThrough = this.#acked;
      this.#marks = [];
      this.#pendingSite = null;
    }
    if (this.#seg === null) await this.#seek();
    const out: LogRecord[] = [];
    let bytes = 0;
    let first: PositionHint | null = null;
    let last: PositionHint | null = null;
    while (out.length < maxRecords && bytes < maxBytes) {
      let seg = this.#seg as Segment;
      if (seg.deleted) {
        // Dropped (onFull='drop_oldest') under us: continue at the oldest record left; drops are counted by the writer.
        seg = this.#moveTo(segments.oldest);
        this.#readThrough = Math.max(this.#readThrough, seg.firstSeq - 1);
      }
      const end = seg.size;
      if (this.#offset >= end) {
        if (seg.active) break;
        const next = segments.after(seg);
        if (!next) break;
        this.#moveTo(next);
        continue;
      }
      const fh = await this.#handle(seg);
      if (!fh) continue;
      const bounds = { minSeq: this.#minSeq, maxSeq: segments.maxSeqOf(seg), maxPayload: this.#host.opts.maxPayload };
      const r = await readFrames(fh, this.#offset, end, bounds, maxRecords - out.length, maxBytes - bytes, out.length === 0);
      for (const f of r.frames) {
        this.#minSeq = f.seq + 1;
        if (f.seq <= this.#readThrough) continue; // before the seek target
        if (f.seq > this.#readThrough + 1 || this.#pendingSite) {
          this.#host.reportLoss(this.#readThrough + 1, f.seq - 1, this.#pendingSite);
          this.#pendingSite = null;
        }
        out.push({ seq: f.seq, payload: f.payload });
        bytes += f.payload.length;
        this.#readThrough = f.seq;
        last = { segment: seg.firstSeq, offset: f.offset, seq: f.seq };
        first ??= last;
      }
      this.#offset = r.next;
      if (r.corrupt) {
        this.#pendingSite = { segment: seg.path, offset: r.corrupt.offset, reason: r.corrupt.reason };
        const found = await findNextFrame(fh, r.next + 1, end, { ...bounds, minSeq: this.#minSeq });
        this.#offset = found ?? end;
      } else if (r.frames.length === 0) {
        break; // the next record does not fit in this call's byte budget
      }
    }
    if (first && last) {
      this.#marks.push({ firstSeq: first.seq, first, lastSeq: last.seq, last });
      if (this.#marks.length > MAX_MARKS) this.#marks.shift();
    }
    return out;
  }

  /** Positions the reader at the first record with seq > acked. */
  async #seek(): Promise<void> {
    const segments = this.#host.segments;
    this.#readThrough = Math.max(this.#acked, segments.oldest.firstSeq - 1);
    const h = this.#hint;
    if (h && h.seq <= this.#acked) {
      const seg = segments.all().find((s) => s.firstSeq === h.segment);
      if (seg && h.offset < seg.size) {
        const fh = await this.#handle(seg);
        const bounds = { minSeq: h.seq, maxSeq: h.seq, maxPayload: this.#host.opts.maxPayload };
        const r = fh ? await readFrames(fh, h.offset, seg.size, bounds, 1, 0) : null;
        if (r && r.frames.length === 1) {
          this.#moveTo(seg);
          this.#offset = h.offset;
          this.#minSeq = h.seq;
          return;
        }
      }
    }
    this.#moveTo(segments.find(this.#readThrough + 1));
  }

  #moveTo(seg: Segment): Segment {
    this.#seg = seg;
    this.#offset = 0;
    this.#minSeq = seg.firstSeq;
    return seg;
  }

  /** An open handle on `seg`, or null if its file vanished (the caller's loop re-evaluates). */
  async #handle(seg: Segment): Promise<FileHandle | null> {
    if (this.#fhSeg === seg && this.#fh) return this.#fh;
    await this.#closeHandle();
    try {
      this.#fh = await open(seg.path, 'r');
      this.#fhSeg = seg;
      return this.#fh;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw storageError(`opening ${seg.path}`, e);
      if (seg.deleted) return null;
      if (seg.active) throw storageError(`active segment ${seg.path} vanished`, e);
      // Removed behind our back: skip the file, its records are reported lost.
      this.#pendingSite = { segment: seg.path, offset: 0, reason: 'segment file missing' };
      this.#offset = seg.size;
      return null;
    }
  }

  async #closeHandle(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    this.#fhSeg = null;
    if (fh) await fh.close().catch(() => {});
  }
}

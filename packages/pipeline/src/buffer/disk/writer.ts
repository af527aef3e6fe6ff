/**
 * The single writer: group commit, segment roll-over, fsync policy and the
 * maxBytes bound.
 *
 * append() only queues; one drain loop at a time takes *everything* queued,
 * assigns seqs in call order, encodes the frames into one buffer per target
 * segment and issues one write (+ one fdatasync when fsync='always') for it.
 * Concurrent appends therefore share a write and a sync (group commit).
 * A segment never grows past segmentBytes: a record that does not fit starts
 * a new segment. The frames become readable (segment.size moves) only after
 * the write (and sync) succeeded, which is also when the appends resolve.
 * A failed write is truncated away and its appends reject; their seqs are
 * reused, so seqs on disk stay gap-free. (One exception, at-least-once: an
 * append whose records span two segments and fails in the second rejects
 * although its records in the first are kept.)
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ResolvedOptions } from './config.js';
import { DiskLogClosedError, DiskLogFullError, DiskLogRecordTooLargeError, storageError } from './errors.js';
import { encodeFrame, FRAME_HEADER_BYTES } from './format.js';
import { syncDir } from './ledger.js';
import { Segment, type SegmentSet } from './segments.js';

export interface WriterHost {
  /** Frames up to `lastSeq` are readable. */
  onAppended(lastSeq: number): void;
  /** A segment stopped being the active one (it may now be collectable). */
  onRolled(): void;
  /** Deletes the oldest closed segment for onFull='drop_oldest'; false if there is none. */
  dropOldest(): boolean;
  /** Resolves when the files of deleted segments are gone. */
  unlinksDone(): Promise<void>;
}

interface Entry {
  payloads: readonly Uint8Array[];
  bytes: number;
  resolve: (lastSeq: number) => void;
  reject: (error: Error) => void;
}

export class SegmentWriter {
  readonly #opts: ResolvedOptions;
  readonly #segments: SegmentSet;
  readonly #host: WriterHost;
  #fh: FileHandle;
  #nextSeq: number;
  #queue: Entry[] = [];
  #reserved = 0;
  #draining: Promise<void> | null = null;
  #dirty = false;
  #syncRequested = false;
  #failed: Error | null = null;
  #closed = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(opts: ResolvedOptions, segments: SegmentSet, fh: FileHandle, nextSeq: number, host: WriterHost) {
    this.#opts = opts;
    this.#segments = segments;
    this.#fh = fh;
    this.#nextSeq = nextSeq;
    this.#host = host;
    if (opts.fsync === 'interval') {
      this.#timer = setInterval(() => {
        if (this.#dirty && !this.#closed) {
          this.#syncRequested = true;
          this.#kick();
        }
      }, opts.fsyncIntervalMs);
      this.#timer.unref();
    }
  }

  /** Bytes of appends accepted but not yet written. */
  get reservedBytes(): number { return this.#reserved; }

  append(payloads: readonly Uint8Array[]): Promise<number> {
    if (this.#failed) return Promise.reject(new DiskLogClosedError('disk log failed', { cause: this.#failed }));
    if (this.#closed) return Promise.reject(new DiskLogClosedError());
    let bytes = 0;
    for (const p of payloads) {
      if (!(p instanceof Uint8Array)) return Promise.reject(new TypeError('disk log: payloads must be Buffers or Uint8Arrays'));
      if (p.length > this.#opts.maxPayload) return Promise.reject(new DiskLogRecordTooLargeError(p.length, this.#opts.maxPayload));
      bytes += FRAME_HEADER_BYTES + p.length;
    }
    if (payloads.length === 0) return Promise.resolve(this.#nextSeq - 1);
    const { maxBytes } = this.#opts;
    const full = this.#opts.onFull === 'reject' ? this.#segments.bytes + this.#reserved + bytes > maxBytes : bytes > maxBytes;
    if (full) return Promise.reject(new DiskLogFullError(maxBytes, bytes));
    this.#reserved += bytes;
    return new Promise<number>((resolve, reject) => {
      this.#queue.push({ payloads, bytes, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#draining) return;
    // A microtask, so appends issued in the same tick join the first write.
    this.#draining = new Promise<void>((r) => queueMicrotask(r))
      .then(() => this.#drain())
      .catch((e: unknown) => {
        // Only a bug can get here; fail closed rather than leave appends hanging.
        this.#fail(e instanceof Error ? e : new Error(String(e)));
        const queued = this.#queue;
        this.#queue = [];
        this.#rejectFrom(queued, 0, 0, this.#failed as Error);
      });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0 || this.#syncRequested) {
        if (this.#syncRequested) {
          this.#syncRequested = false;
          if (this.#dirty) {
            this.#dirty = false;
            try { await this.#fh.datasync(); } catch (e) { this.#fail(storageError('fdatasync', e)); }
          }
        }
        const batch = this.#queue;
        this.#queue = [];
        if (batch.length > 0) await this.#writeBatch(batch);
      }
    } finally {
      this.#draining = null;
    }
  }

  /** Writes a batch as one write per segment it touches; settles every entry. */
  async #writeBatch(batch: Entry[]): Promise<void> {
    const { segmentBytes } = this.#opts;
    let e = 0; // entry index
    let p = 0; // payload index inside batch[e]
    while (e < batch.length) {
      if (this.#failed) return this.#rejectFrom(batch, e, p, this.#failed);
      let seg = this.#segments.active;
      // Collect the records that fit in the active segment (at least one: roll over if needed).
      const firstLen = FRAME_HEADER_BYTES + batch[e].payloads[p].length;
      try {
        if (seg.size > 0 && seg.size + firstLen > segmentBytes) seg = await this.#roll();
      } catch (err) {
        return this.#rejectFrom(batch, e, p, storageError('creating a segment', err));
      }
      let partBytes = 0;
      let endE = e;
      let endP = p;
      while (endE < batch.length) {
        const len = FRAME_HEADER_BYTES + batch[endE].payloads[endP].length;
        if (seg.size + partBytes + len > segmentBytes) break;
        partBytes += len;
        if (++endP === batch[endE].payloads.length) { endE++; endP = 0; }
      }
      try {
        if (this.#opts.onFull === 'drop_oldest') seg = await this.#makeRoom(partBytes);
      } catch (err) {
        return this.#rejectFrom(batch, e, p, storageError('creating a segment', err));
      }
      const buf = Buffer.allocUnsafe(partBytes);
      const firstSeq = this.#nextSeq;
      let off = 0;
      let seq = firstSeq;
      for (let i = e, j = p; i < endE || (i === endE && j < endP); ) {
        off = encodeFrame(buf, off, seq++, batch[i].payloads[j]);
        if (++j === batch[i].payloads.length) { i++; j = 0; }
      }
      try {
        await this.#write(seg, buf);
      } catch (err) {
        return this.#rejectFrom(batch, e, p, storageError('write', err));
      }
      this.#nextSeq = seq;
      seg.lastSeq = seq - 1;
      this.#segments.grew(seg, partBytes);
      this.#reserved -= partBytes;
      this.#host.onAppended(seq - 1);
      // Resolve the entries that ended inside this part.
      let s = firstSeq;
      for (let i = e, j = p; i < endE; i++) {
        s += batch[i].payloads.length - j;
        j = 0;
        batch[i].resolve(s - 1);
      }
      e = endE;
      p = endP;
    }
  }

  /** Writes `buf` at the end of `seg` and syncs per policy; on failure cuts the file back. */
  async #write(seg: Segment, buf: Buffer): Promise<void> {
    const at = seg.size;
    try {
      let done = 0;
      while (done < buf.length) {
        const { bytesWritten } = await this.#fh.write(buf, done, buf.length - done, at + done);
        done += bytesWritten;
      }
      if (this.#opts.fsync === 'always') await this.#fh.datasync();
      else this.#dirty = true;
    } catch (err) {
      try {
        await this.#fh.truncate(at);
      } catch (e2) {
        this.#fail(storageError('truncating a failed write', e2));
      }
      throw err;
    }
  }

  /** onFull='drop_oldest': deletes oldest segments until `bytes` more fit under maxBytes. */
  async #makeRoom(bytes: number): Promise<Segment> {
    let seg = this.#segments.active;
    let dropped = false;
    while (this.#segments.bytes + bytes > this.#opts.maxBytes) {
      if (this.#host.dropOldest()) {
        dropped = true;
        continue;
      }
      if (seg.size === 0) break; // cannot happen: one record always fits in maxBytes >= segmentBytes
      seg = await this.#roll(); // the active segment becomes the oldest closed one
    }
    if (dropped) await this.#host.unlinksDone(); // keep the real disk usage under maxBytes too
    return seg;
  }

  /** Starts a new segment at the next seq; the old one is synced and closed. */
  async #roll(): Promise<Segment> {
    const old = this.#segments.active;
    const seg = new Segment(this.#opts.dir, this.#nextSeq, 0, this.#nextSeq - 1);
    const fh = await open(seg.path, 'wx');
    try {
      if (this.#opts.fsync !== 'never') {
        await syncDir(this.#opts.dir);
        if (this.#dirty) await this.#fh.datasync();
      }
    } catch (e) {
      await fh.close().catch(() => {});
      throw e;
    }
    this.#dirty = false;
    const oldFh = this.#fh;
    this.#fh = fh;
    old.active = false;
    seg.active = true;
    this.#segments.push(seg);
    await oldFh.close().catch((e: Error) => this.#opts.onError(e));
    this.#host.onRolled();
    return seg;
  }

  /** Rejects batch[from..]; batch[from] may be partly written already (its first `written` payloads). */
  #rejectFrom(batch: Entry[], from: number, written: number, error: Error): void {
    for (let i = from; i < batch.length; i++) {
      let bytes = batch[i].bytes;
      if (i === from) for (let j = 0; j < written; j++) bytes -= FRAME_HEADER_BYTES + batch[i].payloads[j].length;
      this.#reserved -= bytes;
      batch[i].reject(error);
    }
  }

  #fail(error: Error): void {
    if (!this.#failed) this.#failed = error;
  }

  /** Waits for queued appends, syncs (unless fsync='never') and closes the file. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    while (this.#draining) await this.#draining;
    try {
      if (this.#dirty && this.#opts.fsync !== 'never' && !this.#failed) await this.#fh.datasync();
    } finally {
      await this.#fh.close();
    }
  }
}

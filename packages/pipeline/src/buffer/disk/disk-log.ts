/**
 * DiskLog: a crash-safe, bounded, append-only log of opaque records on local
 * disk, with named read cursors. One implementation serves the server's
 * write-ahead log, the agent's disk buffer (one cursor per destination) and
 * the SDK's spool.
 *
 * Invariants (the design in short; format.ts has the byte layout):
 * - Records get strictly increasing seqs starting at 1; a seq is never
 *   reused, not even one whose record was lost (the next seq is at least
 *   every cursor's acked + 1).
 * - Data lives in segment files `<first seq>.seg` of at most segmentBytes
 *   each (a record must fit in one segment). Exactly one, the newest, is
 *   active; only the writer appends to it, only at its end.
 * - The writer creates segment files; garbage collection (after an ack) and
 *   the drop_oldest policy delete them; nothing else does. Deletion is whole
 *   files only, oldest first, never the active one.
 * - A segment is deleted on ack only when every known cursor (open now or
 *   with a ledger on disk) has acked its last seq. With no cursor at all
 *   nothing is deleted. For open cursors the in-memory ack counts: deleting
 *   acked records before the ledger write lands is safe (after a crash the
 *   cursor resumes at the oldest record left) and keeps a full disk, where
 *   the ledger write itself may fail, from deadlocking.
 * - The bytes of all segment files stay <= maxBytes: appends that would pass
 *   it reject with DiskLogFullError (onFull 'reject'), or the oldest
 *   segments are deleted first and the unacked records in them counted as
 *   dropped (onFull 'drop_oldest').
 * - An append resolves only after its frames are written (and fdatasync'd if
 *   fsync='always'); only then can cursors see them. The writer fsyncs a
 *   segment before starting the next, so after a crash only the newest
 *   segment can have a torn tail; open() truncates it (never fatal).
 * - Opening reads O(segments) metadata plus the newest segment; corruption in
 *   older segments is found by cursors, skipped (resync by seq + CRC) and
 *   reported once via onCorruption and the corrupt* counters.
 * - Cursor ledgers are replaced atomically (temp + rename).
 * - Delivery is at-least-once: after a crash, records after a cursor's
 *   persisted ack are read again.
 */
import { mkdir, unlink } from 'node:fs/promises';
import { resolveOptions, type DiskLogOptions, type ResolvedOptions } from './config.js';
import { DiskLogClosedError, storageError } from './errors.js';
import { DiskLogCursor, type CursorHost, type LossSite } from './cursor.js';
import { checkCursorName, removeLedger, writeLedger, type LedgerState } from './ledger.js';
import { acquireLock, releaseLock } from './lock.js';
import { Notifier } from './notifier.js';
import { recover } from './recovery.js';
import type { Segment, SegmentSet } from './segments.js';
import { SegmentWriter, type WriterHost } from './writer.js';

export interface DiskLogCursorStats {
  acked: number;
  /** Records after acked still on disk. */
  pending: number;
}

export interface DiskLogStats {
  bytesOnDisk: number;
  segments: number;
  /** Smallest seq that may still be on disk. */
  firstSeq: number;
  /** Highest readable seq (0 when nothing was ever appended). */
  lastSeq: number;
  /** Unacked records deleted by onFull='drop_oldest'. */
  droppedRecords: number;
  droppedSegments: number;
  /** Records found corrupt or missing by readers, and the number of such ranges. */
  corruptRecords: number;
  corruptRegions: number;
  /** Bytes cut from a torn or corrupt tail when the log was opened. */
  truncatedBytes: number;
  cursors: Record<string, DiskLogCursorStats>;
}

export class DiskLog {
  readonly dir: string;
  readonly #opts: ResolvedOptions;
  readonly #segments: SegmentSet;
  readonly #writer: SegmentWriter;
  readonly #host: CursorHost;
  readonly #cursors = new Map<string, DiskLogCursor>();
  readonly #opening = new Map<string, Promise<DiskLogCursor>>();
  readonly #ledgers: Map<string, LedgerState>;
  /** Persisted acked seq of every known cursor (open cursors add their in-memory ack): gates deletion. */
  readonly #known = new Map<string, number>();
  readonly #appended = new Notifier();
  readonly #freed = new Notifier();
  readonly #unlinks = new Set<Promise<void>>();
  readonly #lossSeen = new Set<number>();
  #lastSeq: number;
  #closed: Error | null = null;
  #closing: Promise<void> | null = null;
  #dropped = 0;
  #droppedSegments = 0;
  #corruptRecords = 0;
  #corruptRegions = 0;
  readonly #truncatedBytes: number;

  private constructor(opts: ResolvedOptions, rec: Awaited<ReturnType<typeof recover>>) {
    this.dir = opts.dir;
    this.#opts = opts;
    this.#segments = rec.segments;
    this.#ledgers = rec.ledgers;
    for (const [name, l] of rec.ledgers) this.#known.set(name, l.acked);
    this.#lastSeq = rec.nextSeq - 1;
    this.#truncatedBytes = rec.truncatedBytes;
    const writerHost: WriterHost = {
      onAppended: (lastSeq) => {
        this.#lastSeq = lastSeq;
        this.#appended.notify();
      },
      onRolled: () => this.#collect(),
      dropOldest: () => this.#dropOldest(),
      unlinksDone: () => this.#unlinksDone(),
    };
    this.#writer = new SegmentWriter(opts, rec.segments, rec.activeHandle, rec.nextSeq, writerHost);
    this.#host = {
      opts,
      segments: rec.segments,
      closedError: () => this.#closed,
      lastSeq: () => this.#lastSeq,
      waitForAppend: (signal) => this.#appended.wait(signal),
      reportLoss: (from, to, site) => this.#reportLoss(from, to, site),
      persistLedger: (name, state) => this.#persistLedger(name, state),
      onAck: () => this.#collect(),
    };
  }

  /** Opens (creating if needed) and recovers the log in options.dir. */
  static async open(options: DiskLogOptions): Promise<DiskLog> {
    const opts = resolveOptions(options);
    await mkdir(opts.dir, { recursive: true });
    await acquireLock(opts.dir);
    try {
      const log = new DiskLog(opts, await recover(opts));
      log.#collect();
      return log;
    } catch (e) {
      await releaseLock(opts.dir);
      throw e;
    }
  }

  /** Smallest seq that may still be on disk. */
  get firstSeq(): number { return this.#segments.oldest.firstSeq; }
  /** Highest seq whose append has resolved (or recovered at open). */
  get lastSeq(): number { return this.#lastSeq; }

  /**
   * Appends one record or several (all or none of them), resolving with the
   * seq of the last one once written (and synced for fsync='always').
   * Do not modify the buffers until it resolves.
   */
  append(payload: Uint8Array | readonly Uint8Array[]): Promise<number> {
    if (payload instanceof Uint8Array) return this.#writer.append([payload]);
    if (!Array.isArray(payload)) return Promise.reject(new TypeError('disk log: append takes a Buffer or an array of Buffers'));
    return this.#writer.append(payload);
  }

  /** The cursor of that name, created at the oldest record on disk if it never existed. */
  cursor(name: string): Promise<DiskLogCursor> {
    try {
      checkCursorName(name);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#closed || this.#closing) return Promise.reject(new DiskLogClosedError());
    const open = this.#cursors.get(name);
    if (open) return Promise.resolve(open);
    const pending = this.#opening.get(name);
    if (pending) return pending;
    const p = (async () => {
      let state = this.#ledgers.get(name);
      if (!state) {
        state = { acked: this.#segments.oldest.firstSeq - 1, hint: null };
        await this.#persistLedger(name, state, true);
        this.#ledgers.set(name, state);
      }
      const c = new DiskLogCursor(this.#host, name, state);
      this.#cursors.set(name, c);
      this.#known.set(name, Math.max(this.#known.get(name) ?? 0, state.acked));
      return c;
    })().finally(() => this.#opening.delete(name));
    this.#opening.set(name, p);
    return p;
  }

  /** Forgets a cursor for good (deletes its ledger), so it no longer holds segments back. */
  async removeCursor(name: string): Promise<void> {
    checkCursorName(name);
    const c = this.#cursors.get(name);
    this.#cursors.delete(name);
    if (c) await c.close();
    this.#known.delete(name);
    this.#ledgers.delete(name);
    await removeLedger(this.dir, name, this.#opts.fsync !== 'never');
    this.#collect();
    await this.#unlinksDone();
  }

  /** Resolves once `bytes` more would fit under maxBytes (for onFull='reject' backpressure). */
  async waitForSpace(bytes: number, signal?: AbortSignal): Promise<void> {
    while (this.#segments.bytes + this.#writer.reservedBytes + bytes > this.#opts.maxBytes) {
      if (this.#closed) throw this.#closed;
      await this.#freed.wait(signal);
    }
  }

  stats(): DiskLogStats {
    const floor = this.#segments.oldest.firstSeq - 1;
    const cursors: Record<string, DiskLogCursorStats> = {};
    for (const [name, acked] of this.#known) {
      const a = this.#cursors.get(name)?.acked ?? acked;
      cursors[name] = { acked: a, pending: Math.max(0, this.#lastSeq - Math.max(a, floor)) };
    }
    return {
      bytesOnDisk: this.#segments.bytes,
      segments: this.#segments.count,
      firstSeq: this.#segments.oldest.firstSeq,
      lastSeq: this.#lastSeq,
      droppedRecords: this.#dropped,
      droppedSegments: this.#droppedSegments,
      corruptRecords: this.#corruptRecords,
      corruptRegions: this.#corruptRegions,
      truncatedBytes: this.#truncatedBytes,
      cursors,
    };
  }

  /** Writes queued appends, syncs, persists acks and closes every file. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    let error: unknown = null;
    try {
      await this.#writer.close();
    } catch (e) {
      error = e;
    }
    const closed = new DiskLogClosedError();
    this.#closed = closed;
    this.#appended.fail(closed);
    this.#freed.fail(closed);
    for (const c of this.#cursors.values()) await c.close();
    await this.#unlinksDone();
    await releaseLock(this.dir);
    if (error) throw storageError('close', error);
  }

  async #persistLedger(name: string, state: LedgerState, creating = false): Promise<void> {
    if (!creating && !this.#cursors.has(name)) return; // removed
    try {
      await writeLedger(this.dir, name, state, this.#opts.fsync !== 'never');
    } catch (e) {
      throw storageError(`writing ledger of cursor ${name}`, e);
    }
    if (!creating && !this.#cursors.has(name)) return;
    this.#known.set(name, Math.max(this.#known.get(name) ?? 0, state.acked));
    this.#collect();
    await this.#unlinksDone(); // an ack resolves once the segments it freed are gone
  }

  async #unlinksDone(): Promise<void> {
    while (this.#unlinks.size > 0) await Promise.all(this.#unlinks);
  }

  /** Lowest acked seq over every known cursor (in memory for open ones), or null with no cursor. */
  #minAcked(): number | null {
    if (this.#known.size === 0) return null;
    let min = Number.MAX_SAFE_INTEGER;
    for (const [name, acked] of this.#known) min = Math.min(min, this.#cursors.get(name)?.acked ?? acked);
    return min;
  }

  /** Deletes the oldest segments that every known cursor has acked. */
  #collect(): void {
    const min = this.#minAcked();
    if (min === null) return;
    while (this.#segments.count > 1) {
      const oldest = this.#segments.oldest;
      if (oldest.active || oldest.lastSeq > min) break;
      this.#unlink(this.#segments.shiftOldest() as Segment);
    }
  }

  /** onFull='drop_oldest': deletes the oldest closed segment, counting its unacked records. */
  #dropOldest(): boolean {
    const seg = this.#segments.shiftOldest();
    if (!seg) return false;
    const floor = Math.max(seg.firstSeq - 1, this.#minAcked() ?? 0);
    this.#dropped += Math.max(0, seg.lastSeq - floor);
    this.#droppedSegments++;
    this.#unlink(seg);
    return true;
  }

  #unlink(seg: Segment): void {
    const p: Promise<void> = unlink(seg.path)
      .catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') this.#opts.onError(storageError(`deleting ${seg.path}`, e));
      })
      .finally(() => {
        this.#unlinks.delete(p);
        this.#freed.notify();
      });
    this.#unlinks.add(p);
    this.#freed.notify();
  }

  #reportLoss(fromSeq: number, toSeq: number, site: LossSite | null): void {
    if (this.#lossSeen.has(fromSeq)) return;
    const records = Math.max(0, toSeq - fromSeq + 1);
    if (records === 0 && !site) return;
    this.#lossSeen.add(fromSeq);
    this.#corruptRecords += records;
    this.#corruptRegions++;
    try {
      this.#opts.onCorruption({
        segment: site?.segment ?? '',
        offset: site?.offset ?? -1,
        reason: site?.reason ?? 'records missing',
        fromSeq,
        toSeq,
        records,
      });
    } catch {
      // a callback must not break reading
    }
  }
}

/**
 * The disk spool: encoded batches in a DiskLog (@jobscope/pipeline/buffer: the disk log alone, without the receivers), read
 * back in order by one cursor and acknowledged once the server took them.
 * A record is one batch, stored with its id so a replay (even by the next
 * process) sends the same id:
 *
 *   u8 version (1) | u8 flags (1 = gzip) | u16 id length | id (UTF-8) | u32 records | u32 line bytes | payload
 *
 * Bound: maxSpoolBytes of segment files; an append past it rejects with
 * DiskLogFullError and the pipeline drops that batch (drop newest).
 * One process per directory (DiskLog's LOCK). The default directory holds
 * numbered slots: a process takes the first free one, so workers of the
 * same service on one machine do not collide, and a restarted worker picks
 * up a slot left by a dead one. A slot this process already has open (two
 * exporters of one service in one process: DiskLog's LOCK lets the same pid
 * in) is skipped too.
 */
import { join } from 'node:path';
import { DiskLog, DiskLogFullError, type DiskLogCursor } from '@jobscope/pipeline/buffer';
import type { Batch } from './batch.js';

const VERSION = 1;
const CURSOR = 'sender';
const MAX_SLOTS = 16;
const HEADER = 4;
/** Slot directories open in this process. */
const openSlots = new Set<string>();

export function encodeSpoolRecord(b: Batch): Buffer {
  const id = Buffer.from(b.id, 'utf8');
  const out = Buffer.allocUnsafe(HEADER + id.length + 8 + b.payload.length);
  out.writeUInt8(VERSION, 0);
  out.writeUInt8(b.gzip ? 1 : 0, 1);
  out.writeUInt16LE(id.length, 2);
  id.copy(out, HEADER);
  out.writeUInt32LE(b.records, HEADER + id.length);
  out.writeUInt32LE(b.bytes, HEADER + id.length + 4);
  b.payload.copy(out, HEADER + id.length + 8);
  return out;
}

export function decodeSpoolRecord(buf: Buffer): Batch | null {
  if (buf.length < HEADER + 8 || buf.readUInt8(0) !== VERSION) return null;
  const idLen = buf.readUInt16LE(2);
  if (buf.length < HEADER + idLen + 8) return null;
  return {
    no: 0,
    id: buf.toString('utf8', HEADER, HEADER + idLen),
    gzip: (buf.readUInt8(1) & 1) === 1,
    records: buf.readUInt32LE(HEADER + idLen),
    bytes: buf.readUInt32LE(HEADER + idLen + 4),
    payload: buf.subarray(HEADER + idLen + 8),
  };
}

export interface SpoolEntry {
  seq: number;
  /** Null when the record could not be decoded (counted as malformed by the caller). */
  batch: Batch | null;
}

export class Spool {
  readonly dir: string;
  readonly #log: DiskLog;
  readonly #cursor: DiskLogCursor;
  #appending = 0;
  #slot = false;

  private constructor(dir: string, log: DiskLog, cursor: DiskLogCursor) {
    this.dir = dir;
    this.#log = log;
    this.#cursor = cursor;
  }

  /** Opens `dir` (or, with slots, the first free `dir/<n>`). Rejects when none can be opened. */
  static async open(dir: string, slots: boolean, maxBytes: number, maxBatchBytes: number, onError: (e: Error) => void): Promise<Spool> {
    const segmentBytes = Math.min(16 * 1024 * 1024, Math.max(2 * maxBatchBytes + 4096, Math.floor(maxBytes / 4)));
    const opts = { maxBytes, segmentBytes: Math.min(segmentBytes, maxBytes), onFull: 'reject' as const, onError };
    let last: unknown;
    for (let i = 0; i < (slots ? MAX_SLOTS : 1); i++) {
      const d = slots ? join(dir, String(i)) : dir;
      if (slots && openSlots.has(d)) continue;
      if (slots) openSlots.add(d);
      try {
        const log = await DiskLog.open({ ...opts, dir: d });
        try {
          const spool = new Spool(d, log, await log.cursor(CURSOR));
          spool.#slot = slots;
          return spool;
        } catch (e) {
          await log.close().catch(() => {});
          throw e;
        }
      } catch (e) {
        if (slots) openSlots.delete(d);
        last = e;
        if (!/in use by pid/.test(String((e as Error)?.message))) break;
      }
    }
    throw last ?? new Error(`no free spool slot under ${dir}`);
  }

  /** Appends one batch; resolves once written. Rejects with DiskLogFullError at the bound. */
  async append(b: Batch): Promise<void> {
    this.#appending++;
    try {
      await this.#log.append(encodeSpoolRecord(b));
    } finally {
      this.#appending--;
    }
  }

  /** Records appended (or appending) and not acknowledged yet. */
  get pending(): number {
    return this.#cursor.pending + this.#appending;
  }

  hasUnread(): boolean {
    return this.#cursor.hasUnread();
  }

  /** The next unread batch, or null at the end. */
  async read(): Promise<SpoolEntry | null> {
    const [rec] = await this.#cursor.read(1);
    return rec ? { seq: rec.seq, batch: decodeSpoolRecord(rec.payload) } : null;
  }

  ack(seq: number): Promise<void> {
    return this.#cursor.ack(seq);
  }

  bytes(): number {
    return this.#log.stats().bytesOnDisk;
  }

  close(): Promise<void> {
    return this.#log.close().finally(() => {
      if (this.#slot) openSlots.delete(this.dir);
    });
  }
}

export function isSpoolFull(e: unknown): boolean {
  return e instanceof DiskLogFullError;
}

/**
 * The server's durable write path.
 *
 *   request ─► normalize ─► WAL append (ack here) ─► flusher ─► ClickHouse insert ─► WAL ack
 *
 * Guarantees (docs/delivery.md):
 * - A request is answered 200 only after its rows are in the write-ahead log
 *   (fsync per the configured policy); the log is replayed after a crash.
 * - Flushes cover a contiguous range of log records. The range is written to
 *   an intent file before inserting, and the insert's deduplication token is
 *   derived from it, so a flush repeated after a crash inserts nothing twice.
 * - A batch id seen before (within the dedup window) is answered 200 and not
 *   stored again.
 * - Bounded: when the log holds more than maxPendingBytes or maxPendingRows
 *   not yet inserted, write() fails with JS_OVERLOADED (HTTP 429 + Retry-After).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobscopeError, type TableName } from '@jobscope/core';
import { DiskLog, type DiskLogCursor } from '@jobscope/pipeline';
import type { Store } from '../store/index.js';
import { BatchIds } from './batch-ids.js';
import { decodeWalEntry, encodeWalEntry, toJsonEachRow, type TableRowsPart } from './wal-record.js';

export interface IngestWriterOptions {
  store: Store;
  walDir: string;
  fsync?: 'always' | 'interval' | 'never';
  /** Bytes accepted but not yet inserted, beyond which ingest answers 429. */
  maxPendingBytes?: number;
  /** Rows accepted but not yet inserted, beyond which ingest answers 429. */
  maxPendingRows?: number;
  /** A flush starts when this many bytes wait, or flushIntervalMs after the first (64 MiB ≈ 90k log rows: inserts of the size ClickHouse likes). */
  flushBytes?: number;
  flushIntervalMs?: number;
  /** How long accepted batch ids are remembered for dedup. */
  dedupWindowMs?: number;
  log?: (msg: string) => void;
}

export interface WriterStats {
  pendingBytes: number;
  pendingRows: number;
  pendingRecords: number;
  acceptedBatches: number;
  duplicateBatches: number;
  rejectedOverload: number;
  flushes: number;
  flushedRows: number;
  flushErrors: number;
  lastFlushError: string;
}

interface Intent { first: number; last: number }
type ResolvedOptions = Required<Omit<IngestWriterOptions, 'log'>> & { log: (m: string) => void };

export class IngestWriter {
  readonly #o: ResolvedOptions;
  readonly #wal: DiskLog;
  readonly #cursor: DiskLogCursor;
  readonly #ids = new BatchIds();
  #pendingBytes = 0;
  /** Rows of the pending records (0 after start: recovery flushes everything before serving). */
  #pendingRows = 0;
  #stopping = false;
  #flushing: Promise<void> = Promise.resolve();
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stats = { acceptedBatches: 0, duplicateBatches: 0, rejectedOverload: 0, flushes: 0, flushedRows: 0, flushErrors: 0, lastFlushError: '' };

  private constructor(o: ResolvedOptions, wal: DiskLog, cursor: DiskLogCursor) {
    this.#o = o;
    this.#wal = wal;
    this.#cursor = cursor;
  }

  static async open(opts: IngestWriterOptions): Promise<IngestWriter> {
    const o: ResolvedOptions = {
      fsync: 'never', maxPendingBytes: 512 * 1024 * 1024, maxPendingRows: 2_000_000, flushBytes: 64 * 1024 * 1024,
      flushIntervalMs: 1000, dedupWindowMs: 3_600_000, log: () => {}, ...opts,
    };
    const wal = await DiskLog.open({
      dir: opts.walDir, maxBytes: Math.max(o.maxPendingBytes * 2, 256 * 1024 * 1024), segmentBytes: 128 * 1024 * 1024, fsync: o.fsync,
      onCorruption: (e) => o.log(`write-ahead log: ${e.records} records lost to corruption in ${e.segment} (${e.reason})`),
      onError: (e) => o.log(`write-ahead log: ${e.message}`),
    });
    const cursor = await wal.cursor('clickhouse');
    const w = new IngestWriter(o, wal, cursor);
    await w.#recover();
    return w;
  }

  /** Starts the background flusher. */
  start(): void {
    this.#loop ??= this.#run();
  }

  stats(): WriterStats {
    return { pendingBytes: this.#pendingBytes, pendingRows: this.#pendingRows, pendingRecords: this.#cursor.pending, ...this.#stats };
  }

  /**
   * Makes an ingest request durable. Resolves 'accepted' once in the WAL,
   * 'duplicate' when the batch id was already accepted.
   */
  async write(batchId: string, parts: readonly TableRowsPart[]): Promise<'accepted' | 'duplicate'> {
    if (this.#stopping) throw new JobscopeError('JS_UNAVAILABLE', 'the server is shutting down', { retryAfter: 5 });
    if (batchId && this.#ids.has(batchId)) {
      this.#stats.duplicateBatches++;
      return 'duplicate';
    }
    const { record, rows } = encodeWalEntry(batchId, parts);
    if (this.#pendingBytes + record.length > this.#o.maxPendingBytes || this.#pendingRows + rows > this.#o.maxPendingRows) {
      this.#stats.rejectedOverload++;
      throw new JobscopeError('JS_OVERLOADED', `ingest queue full (${this.#pendingRows} rows, ${this.#pendingBytes} bytes waiting for storage)`, { retryAfter: 2 });
    }
    const append = async (): Promise<void> => {
      // Reserve before appending, so a flush that picks the record up always decrements after this increment.
      this.#pendingBytes += record.length;
      this.#pendingRows += rows;
      try {
        await this.#wal.append(record);
      } catch (err) {
        this.#pendingBytes -= record.length;
        this.#pendingRows -= rows;
        throw err;
      }
      if (this.#pendingBytes >= this.#o.flushBytes) this.#wake?.();
    };
    const r = batchId ? await this.#ids.once(batchId, append) : (await append(), 'accepted' as const);
    if (r === 'accepted') this.#stats.acceptedBatches++;
    else this.#stats.duplicateBatches++;
    return r;
  }

  /** Flushes everything pending now (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.#cursor.pending > 0) await this.#flushOnce();
  }

  /** Stops the flusher after trying to insert what is pending within the deadline; the rest stays in the WAL. */
  async close(deadlineMs = 10_000): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    const until = Date.now() + deadlineMs;
    try {
      while (this.#cursor.pending > 0 && Date.now() < until) await this.#flushOnce();
    } catch (err) {
      this.#o.log(`shutdown flush failed, ${this.#cursor.pending} records stay in the write-ahead log: ${(err as Error).message}`);
    }
    await this.#wal.close();
  }

  // ---- recovery -------------------------------------------------------------

  async #recover(): Promise<void> {
    this.#pendingBytes = this.#cursor.pending > 0 ? this.#wal.stats().bytesOnDisk : 0;
    // Batch ids already stored within the window, then those only in the WAL.
    const since = Math.floor((Date.now() - this.#o.dedupWindowMs) / 1000);
    const rows = await this.#o.store.query<{ BatchId: string }>(
      'SELECT BatchId FROM jobscope_ingest_batches WHERE ReceivedAt >= toDateTime({since:UInt32}) ORDER BY ReceivedAt',
      { since },
    );
    for (const r of rows) this.#ids.add(r.BatchId);
    if (this.#cursor.pending > 0) {
      this.#o.log(`replaying ${this.#cursor.pending} write-ahead records (${this.#pendingBytes} bytes) into storage`);
      while (this.#cursor.pending > 0) await this.#flushOnce();
    }
  }

  // ---- flushing -------------------------------------------------------------

  async #run(): Promise<void> {
    let backoff = 250;
    while (!this.#stopping) {
      await this.#sleep(this.#o.flushIntervalMs);
      if (this.#stopping) break;
      if (this.#cursor.pending === 0) continue;
      try {
        while (this.#cursor.pending > 0 && !this.#stopping) await this.#flushOnce();
        backoff = 250;
      } catch (err) {
        this.#stats.flushErrors++;
        this.#stats.lastFlushError = (err as Error).message;
        this.#o.log(`storage insert failed, retrying in ${backoff} ms: ${(err as Error).message}`);
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /**
   * One flush at a time: the background loop, flush() and close() share the
   * WAL cursor, so concurrent flushes would read overlapping ranges.
   */
  #flushOnce(): Promise<void> {
    const run = this.#flushing.then(async () => this.#flushRange(await this.#readIntent()));
    this.#flushing = run.catch(() => {});
    return run;
  }

  /** Inserts one contiguous range of WAL records (the intent's, when one is pending). */
  async #flushRange(intent: Intent | undefined): Promise<void> {
    // An intent whose range was acknowledged already (crash between ack and clear) is stale.
    if (intent && intent.last <= this.#cursor.acked) {
      await this.#clearIntent();
      intent = undefined;
    }
    this.#cursor.rewind();
    const records = intent
      ? (await this.#cursor.read(intent.last - intent.first + 1, Number.MAX_SAFE_INTEGER)).filter((r) => r.seq <= intent.last)
      : await this.#cursor.read(1_000_000, this.#o.flushBytes);
    if (records.length === 0) {
      // The log says records follow the acknowledged position but none can be
      // read (lost to corruption, reported by onCorruption): acknowledge past them.
      if (this.#cursor.pending > 0) {
        this.#o.log(`write-ahead log: ${this.#cursor.pending} records unreadable; skipping them`);
        await this.#cursor.ack(this.#wal.lastSeq);
      }
      return;
    }
    const range: Intent = intent ?? { first: records[0]!.seq, last: records[records.length - 1]!.seq };
    if (!intent) await this.#writeIntent(range);
    const byTable = new Map<TableName, Buffer[]>();
    const ids: { BatchId: string }[] = [];
    let rows = 0;
    let bytes = 0;
    for (const r of records) {
      bytes += r.payload.length;
      const e = decodeWalEntry(r.payload);
      if (e.batchId) ids.push({ BatchId: e.batchId });
      for (const p of e.parts) {
        rows += p.rows;
        let list = byTable.get(p.table);
        if (!list) byTable.set(p.table, (list = []));
        list.push(p.data);
      }
    }
    const token = `wal-${range.first}-${range.last}`;
    for (const [table, chunks] of byTable) {
      await this.#o.store.insert(table, Buffer.concat(chunks), { dedupToken: `${token}-${table}` });
    }
    if (ids.length > 0) await this.#o.store.insert('jobscope_ingest_batches', toJsonEachRow(ids), { dedupToken: `${token}-batches` });
    await this.#cursor.ack(range.last);
    await this.#clearIntent();
    for (const id of ids) this.#ids.add(id.BatchId);
    this.#pendingBytes = Math.max(0, this.#pendingBytes - bytes);
    this.#pendingRows = Math.max(0, this.#pendingRows - rows);
    this.#stats.flushes++;
    this.#stats.flushedRows += rows;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void { clearTimeout(t); resolve(); }
      this.#wake = () => { this.#wake = undefined; done(); };
    });
  }

  // ---- the intent file (atomic replace) ---------------------------------------

  get #intentPath(): string { return join(this.#o.walDir, 'flush-intent.json'); }

  async #readIntent(): Promise<Intent | undefined> {
    try {
      return JSON.parse(await readFile(this.#intentPath, 'utf8')) as Intent;
    } catch {
      return undefined;
    }
  }

  async #writeIntent(i: Intent): Promise<void> {
    const tmp = `${this.#intentPath}.tmp`;
    await writeFile(tmp, JSON.stringify(i));
    await rename(tmp, this.#intentPath);
  }

  async #clearIntent(): Promise<void> {
    await rm(this.#intentPath, { force: true });
  }
}

/**
 * The server's durable write path.
 *
 *   request ─► normalize ─► render rows (memory) + WAL append of the request body (ack here)
 *           ─► flusher ─► ClickHouse insert ─► WAL ack
 *
 * Guarantees (docs/delivery.md):
 * - A request is answered 200 only after its body is in the write-ahead log
 *   (fsync per the configured policy); the log is replayed after a crash, its
 *   bodies decoded and normalized again (wal-record.ts).
 * - The insert is built from the rows rendered when the request arrived
 *   (staging.ts) while they correspond to a contiguous range of the log, and
 *   from the log itself otherwise (after a restart or a failed append).
 * - Flushes cover a contiguous range of log records. The range is written to
 *   an intent file before inserting, and the insert's deduplication token is
 *   derived from it, so a flush repeated after a crash inserts nothing twice.
 * - A batch id seen before (within the dedup window) is answered 200 and not
 *   stored again.
 * - Bounded: when more than maxPendingBytes of rendered rows or
 *   maxPendingRows wait for storage, write() fails with JS_OVERLOADED (HTTP
 *   429 + Retry-After), and so does admit(), which the receiver calls before
 *   it decodes a request: under overload a request costs next to nothing.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobscopeError } from '@jobscope/core';
import { DiskLog, type DiskLogCursor, type LogRecord } from '@jobscope/pipeline';
import type { Store } from '../store/index.js';
import { BatchIds } from './batch-ids.js';
import { toJsonEachRow } from './json-rows.js';
import { walRequestRows, type TableRowsPart } from './request-rows.js';
import { FlushRows, Staging, type SeqRange, type StagedBatch } from './staging.js';
import { decodeWalEntry, encodeWalRequest, type WalRequest } from './wal-record.js';

export interface IngestWriterOptions {
  store: Store;
  walDir: string;
  fsync?: 'always' | 'interval' | 'never';
  /** Rendered bytes accepted but not yet inserted (held in memory), beyond which ingest answers 429. */
  maxPendingBytes?: number;
  /** Rows accepted but not yet inserted, beyond which ingest answers 429. */
  maxPendingRows?: number;
  /** A flush starts when this many rendered bytes wait, or flushIntervalMs after the first (64 MiB ≈ 90k log rows: inserts of the size ClickHouse likes). */
  flushBytes?: number;
  flushIntervalMs?: number;
  /** How long accepted batch ids are remembered for dedup. */
  dedupWindowMs?: number;
  /** Bound of the write-ahead log on disk (default: 2 × maxPendingBytes, at least 256 MiB); past it, ingest answers 503. */
  walMaxBytes?: number;
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
  /** Flushes built from the write-ahead log rather than from rows staged in memory (replay, or after a failed append). */
  flushesFromLog: number;
  flushedRows: number;
  flushErrors: number;
  lastFlushError: string;
  /** Write-ahead records that could not be decoded at replay, skipped (see the server log). */
  unreadableRecords: number;
}

/** A flush's range and the deduplication token of its inserts (an intent of an older server has no token: `wal-<first>-<last>`). */
type Intent = SeqRange & { token: string };
type ResolvedOptions = Required<Omit<IngestWriterOptions, 'log' | 'walMaxBytes'>> & { log: (m: string) => void; walMaxBytes: number };


export class IngestWriter {
  readonly #o: ResolvedOptions;
  readonly #wal: DiskLog;
  readonly #cursor: DiskLogCursor;
  readonly #ids = new BatchIds();
  readonly #staging: Staging;
  /** Names this log in dedup tokens: a log started afresh (its directory deleted) reuses seqs, never tokens. */
  readonly #walId: string;
  /** Rendered bytes per byte of request body (a running estimate, for the overload check before rendering). */
  #expansion = 5;
  #pendingBytes = 0;
  /** Rows of the pending records (0 after start: recovery flushes everything before serving). */
  #pendingRows = 0;
  #stopping = false;
  #flushing: Promise<void> = Promise.resolve();
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stats = {
    acceptedBatches: 0, duplicateBatches: 0, rejectedOverload: 0, flushes: 0, flushesFromLog: 0, flushedRows: 0, flushErrors: 0,
    lastFlushError: '', unreadableRecords: 0,
  };

  private constructor(o: ResolvedOptions, wal: DiskLog, cursor: DiskLogCursor, walId: string) {
    this.#o = o;
    this.#walId = walId;
    this.#wal = wal;
    this.#cursor = cursor;
    this.#staging = new Staging(o.flushBytes);
  }

  static async open(opts: IngestWriterOptions): Promise<IngestWriter> {
    const o: ResolvedOptions = {
      fsync: 'never', maxPendingBytes: 256 * 1024 * 1024, maxPendingRows: 2_000_000, flushBytes: 64 * 1024 * 1024,
      flushIntervalMs: 1000, dedupWindowMs: 3_600_000, log: () => {}, ...opts,
      walMaxBytes: opts.walMaxBytes ?? Math.max((opts.maxPendingBytes ?? 256 * 1024 * 1024) * 2, 256 * 1024 * 1024),
    };
    const wal = await DiskLog.open({
      // Request bodies are ~5× smaller than the rows they render to: the default bound leaves room for a backlog from the log alone.
      dir: opts.walDir, maxBytes: o.walMaxBytes, segmentBytes: Math.min(128 * 1024 * 1024, Math.floor(o.walMaxBytes / 4)), fsync: o.fsync,
      onCorruption: (e) => o.log(`write-ahead log: ${e.records} records lost to corruption in ${e.segment} (${e.reason})`),
      onError: (e) => o.log(`write-ahead log: ${e.message}`),
    });
    const cursor = await wal.cursor('clickhouse');
    const w = new IngestWriter(o, wal, cursor, await walIdOf(opts.walDir));
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

  /** Throws JS_OVERLOADED / JS_UNAVAILABLE when a request would be refused whatever it holds (called before decoding it). */
  admit(): void {
    if (this.#stopping) throw new JobscopeError('JS_UNAVAILABLE', 'the server is shutting down', { retryAfter: 5 });
    if (this.#pendingBytes >= this.#o.maxPendingBytes || this.#pendingRows >= this.#o.maxPendingRows) this.#overloaded();
  }

  /**
   * Makes an ingest request durable. Resolves 'accepted' once its body is in
   * the WAL, 'duplicate' when the batch id was already accepted. `parts` are
   * the rows the request normalizes to (request-rows.ts).
   */
  async write(req: WalRequest, parts: readonly TableRowsPart[]): Promise<'accepted' | 'duplicate'> {
    if (this.#stopping) throw new JobscopeError('JS_UNAVAILABLE', 'the server is shutting down', { retryAfter: 5 });
    const batchId = req.batchId;
    if (batchId && this.#ids.has(batchId)) {
      this.#stats.duplicateBatches++;
      return 'duplicate';
    }
    let rows = 0;
    for (const p of parts) rows += p.rows.length;
    const estimate = Math.ceil(req.body.length * this.#expansion);
    if (this.#pendingBytes + estimate > this.#o.maxPendingBytes || this.#pendingRows + rows > this.#o.maxPendingRows) this.#overloaded();
    const append = async (): Promise<void> => {
      const record = encodeWalRequest(req);
      // Render, count and append in one synchronous step: staged batches follow the log's order.
      const staged = this.#staging.open();
      const bytes = staged.add(batchId, parts);
      if (req.body.length > 0) this.#expansion = this.#expansion * 0.9 + (bytes / req.body.length) * 0.1;
      this.#pendingBytes += bytes;
      this.#pendingRows += rows;
      const appended = this.#wal.append(record);
      staged.appends.push(appended);
      this.#staging.sealIfFull(staged);
      try {
        await appended;
      } catch (err) {
        // The staged rows no longer match the log's seqs one to one: flush from the log from here on.
        this.#staging.clear();
        this.#pendingBytes -= bytes;
        this.#pendingRows -= rows;
        // Not durable, not acknowledged: the client keeps the data and tries again.
        throw new JobscopeError('JS_UNAVAILABLE', `write-ahead log: ${(err as Error).message}`, { retryAfter: 2, cause: err });
      }
      if (this.#pendingBytes >= this.#o.flushBytes) this.#wake?.();
    };
    const r = batchId ? await this.#ids.once(batchId, append) : (await append(), 'accepted' as const);
    if (r === 'accepted') this.#stats.acceptedBatches++;
    else this.#stats.duplicateBatches++;
    return r;
  }

  #overloaded(): never {
    this.#stats.rejectedOverload++;
    throw new JobscopeError('JS_OVERLOADED', `ingest queue full (${this.#pendingRows} rows, ${this.#pendingBytes} bytes waiting for storage)`, { retryAfter: 2 });
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
    // Batch ids already stored within the window, then those only in the WAL.
    const since = Math.floor((Date.now() - this.#o.dedupWindowMs) / 1000);
    const rows = await this.#o.store.query<{ BatchId: string }>(
      'SELECT BatchId FROM jobscope_ingest_batches WHERE ReceivedAt >= toDateTime({since:UInt32}) ORDER BY ReceivedAt',
      { since },
    );
    for (const r of rows) this.#ids.add(r.BatchId);
    if (this.#cursor.pending > 0) {
      this.#o.log(`replaying ${this.#cursor.pending} write-ahead records (${this.#wal.stats().bytesOnDisk} bytes on disk) into storage`);
      while (this.#cursor.pending > 0) await this.#flushOnce();
    }
    // Flushes from the log count down what they insert; nothing was counted up: start from zero.
    this.#pendingBytes = 0;
    this.#pendingRows = 0;
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
    const run = this.#flushing.then(async () => this.#flushNext(await this.#readIntent()));
    this.#flushing = run.catch(() => {});
    return run;
  }

  /**
   * Inserts the next contiguous range of WAL records: the intent's when one
   * is pending (a flush that failed or was cut by a crash), else from the
   * acknowledged position on. Staged rows are used when a staged batch covers
   * exactly that range; records before the oldest staged batch are read from the log.
   */
  async #flushNext(intent: Intent | undefined): Promise<void> {
    // An intent whose range was acknowledged already (crash between ack and clear) is stale.
    if (intent && intent.last <= this.#cursor.acked) {
      await this.#clearIntent();
      intent = undefined;
    }
    let staged: StagedBatch | undefined;
    let range: SeqRange | null = null;
    let limit: number;
    for (;;) {
      staged = this.#staging.oldest();
      if (!staged) {
        // Read synchronously with finding no staged batch: whatever is staged later gets a higher seq.
        limit = this.#wal.lastSeq;
        break;
      }
      range = await staged.range();
      if (range && range.first > this.#cursor.acked) {
        limit = range.first - 1;
        break;
      }
      // Its append failed, or its records were read from the log already: the log has them.
      this.#staging.remove(staged);
    }
    if (intent) {
      if (staged && range && range.first === intent.first && range.last === intent.last) return this.#insertStaged(staged, intent);
      return this.#flushFromLog(intent, intent.last);
    }
    if (staged && range && range.first === this.#cursor.acked + 1) {
      const i = this.#intentOf(range);
      await this.#writeIntent(i);
      return this.#insertStaged(staged, i);
    }
    return this.#flushFromLog(undefined, limit);
  }

  #intentOf(r: SeqRange): Intent {
    return { first: r.first, last: r.last, token: `wal-${this.#walId}-${r.first}-${r.last}` };
  }

  async #insertStaged(b: StagedBatch, range: Intent): Promise<void> {
    await this.#insert(range, b);
    this.#staging.remove(b);
  }

  /** Renders records from the log (acked + 1 … limit, or exactly the intent's range) and inserts them. */
  async #flushFromLog(intent: Intent | undefined, limit: number): Promise<void> {
    this.#cursor.rewind();
    const content = new FlushRows();
    let first = 0;
    let last = 0;
    read: for (;;) {
      const records = await this.#cursor.read(1000, 16 * 1024 * 1024);
      if (records.length === 0) break;
      for (const r of records) {
        if (r.seq > limit) break read;
        if (first === 0) first = r.seq;
        last = r.seq;
        this.#renderRecord(r, content);
        if (!intent && content.bytes >= this.#o.flushBytes) break read;
      }
    }
    if (first === 0) {
      // The log says records follow the acknowledged position but none can be
      // read (lost to corruption, reported by onCorruption): acknowledge past them.
      const to = Math.min(limit, this.#wal.lastSeq);
      if (to > this.#cursor.acked) {
        this.#o.log(`write-ahead log: ${to - this.#cursor.acked} records unreadable; skipping them`);
        await this.#cursor.ack(to);
      }
      if (intent) await this.#clearIntent();
      return;
    }
    const range: Intent = intent ?? this.#intentOf({ first, last });
    if (!intent) await this.#writeIntent(range);
    this.#stats.flushesFromLog++;
    await this.#insert(range, content);
  }

  /** Adds one WAL record's rows to a flush (rendering a request body; an older server's records are rendered already). */
  #renderRecord(r: LogRecord, c: FlushRows): void {
    try {
      const e = decodeWalEntry(r.payload);
      if (e.kind === 'rows') c.addRendered(e.batchId, e.parts);
      else c.add(e.batchId, walRequestRows(e));
    } catch (err) {
      this.#stats.unreadableRecords++;
      this.#o.log(`write-ahead record ${r.seq} cannot be read, skipping it: ${(err as Error).message}`);
    }
  }

  async #insert(range: Intent, c: FlushRows): Promise<void> {
    const token = range.token;
    for (const [table, rows] of c.tables) {
      await this.#o.store.insert(table, rows.toBuffer(), { dedupToken: `${token}-${table}` });
    }
    if (c.batchIds.length > 0) {
      await this.#o.store.insert('jobscope_ingest_batches', toJsonEachRow(c.batchIds.map((BatchId) => ({ BatchId }))), { dedupToken: `${token}-batches` });
    }
    await this.#cursor.ack(range.last);
    await this.#clearIntent();
    for (const id of c.batchIds) this.#ids.add(id);
    this.#pendingBytes = Math.max(0, this.#pendingBytes - c.bytes);
    this.#pendingRows = Math.max(0, this.#pendingRows - c.rows);
    this.#stats.flushes++;
    this.#stats.flushedRows += c.rows;
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
    let i: Partial<Intent>;
    try {
      i = JSON.parse(await readFile(this.#intentPath, 'utf8')) as Partial<Intent>;
    } catch {
      return undefined;
    }
    if (!Number.isSafeInteger(i.first) || !Number.isSafeInteger(i.last)) return undefined;
    return { first: i.first!, last: i.last!, token: i.token ?? `wal-${i.first}-${i.last}` };
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

/** The log's id, made when the directory is new (an older server's log gets one too: its intent keeps the old token). */
async function walIdOf(dir: string): Promise<string> {
  const file = join(dir, 'wal-id');
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{12}$/.test(id)) return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = randomBytes(6).toString('hex');
  await writeFile(`${file}.tmp`, id);
  await rename(`${file}.tmp`, file);
  return id;
}

/**
 * The agent's OTLP/HTTP exporter: delivers one destination's share of the
 * disk buffer through its own DiskLog cursor (several exporters on one log
 * deliver independently; the log keeps a segment until every cursor acked
 * it). One batch is in flight at a time, so batches go out and are acked in
 * seq order.
 *
 * Delivery guarantee: at-least-once, exactly-once for a destination that
 * stores a batch id once. A record is acknowledged (cursor.ack, persisted in
 * its ledger) only after the destination answered 2xx for the batch holding
 * it, or refused it for good. Failures other than a refusal are retried
 * forever (the disk holds the data; the bounded buffer upstream applies its
 * own policy when full): after Retry-After for 429/503 that carry one, else
 * after exponential backoff with full jitter. The batch's seq range is
 * persisted before its first attempt (intent.ts), and its id is derived from
 * that range, so a batch resent after a timeout, a crash or a close between
 * the destination's answer and the ack carries the same id.
 *
 * 400, 413 and 415 are permanent: the same bytes can never be accepted
 * (malformed, too large for the destination, or a media type it does not
 * take), so retrying would stall this destination forever; the batch is
 * counted in droppedRecords and acknowledged. So are records whose header
 * cannot be read, acked with their batch, in order.
 *
 * If the send intent cannot be written (disk full), the batch is sent
 * anyway: blocking would stop the acks that free the disk; the cost is a
 * possible duplicate under a new id after a crash.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { JobscopeError } from '@jobscope/core';
import type { DiskLogCursor } from '../../buffer/disk/cursor.js';
import type { DiskLog } from '../../buffer/disk/disk-log.js';
import { DiskLogClosedError } from '../../buffer/disk/errors.js';
import { Backoff, sleep } from './backoff.js';
import type { Batch } from './batch.js';
import { BatchReader } from './batch-reader.js';
import { resolveOtlpHttpExporterConfig, type OtlpHttpExporterConfig, type OtlpHttpExporterOptions } from './config.js';
import { message, PermanentError, RetryableSendError } from './errors.js';
import { OtlpHttpClient } from './http-client.js';
import { readIntent, writeIntent, type SendIntent } from './intent.js';
import type { SendResult } from './response.js';
import type { OtlpHttpExporterState, OtlpHttpExporterStats } from './stats.js';

const gzipAsync = promisify(gzip);
/**
 * Level 1: about three times faster than the default 6 on telemetry, for
 * bodies 10-20 % larger; the agent's CPU is the fleet machine's, and the
 * bytes saved by higher levels rarely matter on the way to the server.
 */
const GZIP_OPTIONS = { level: 1 };
export const DEFAULT_CLOSE_DEADLINE_MS = 5000;

export interface OtlpHttpExporter {
  /** Opens the cursor, reads the send intent and starts delivering in the background. */
  start(): Promise<void>;
  /**
   * Stops taking batches; the request in flight may finish until deadlineMs
   * (default 5000), then it is aborted (resent after a restart under the
   * same id). Resolves after the cursor's last ack write. Idempotent.
   * Close exporters before their DiskLog (a closed log stops them too, but
   * then an answered batch cannot be acked and is resent after a restart).
   * With `drain`, it first keeps delivering until nothing is pending (or the
   * deadline): for an embedded agent whose destination stops right after it.
   * What is not delivered stays on disk for the next start either way.
   */
  close(opts?: { deadlineMs?: number; drain?: boolean }): Promise<void>;
  stats(): OtlpHttpExporterStats;
}

/** Exporters running per DiskLog, by cursor name: two on one cursor would deliver everything twice. */
const running = new WeakMap<DiskLog, Set<string>>();

export function createOtlpHttpExporter(log: DiskLog, config: OtlpHttpExporterOptions): OtlpHttpExporter {
  return new Exporter(log, resolveOtlpHttpExporterConfig(config));
}

class Exporter implements OtlpHttpExporter {
  readonly #log: DiskLog;
  readonly #c: OtlpHttpExporterConfig;
  readonly #client: OtlpHttpClient;
  /** Ends waiting (for data, lingering, between attempts): close() aborts it at once. */
  readonly #stop = new AbortController();
  /** Ends the request in flight: close() aborts it at its deadline. */
  readonly #abort = new AbortController();
  #cursor: DiskLogCursor | null = null;
  #reader: BatchReader | null = null;
  /** Records of the batch whose ack is being persisted (see stats()). */
  #ackingRecords = 0;
  #starting: Promise<void> | null = null;
  #loop: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  #registered = false;
  #current: Batch | null = null;
  #intentOnDisk: SendIntent | null = null;
  #state: OtlpHttpExporterState = 'idle';
  #lastError: string | null = null;
  readonly #n = { sentRecords: 0, sentItems: 0, sentBytes: 0, requests: 0, retries: 0, failures: 0, rejectedItems: 0, droppedRecords: 0 };

  constructor(log: DiskLog, c: OtlpHttpExporterConfig) {
    this.#log = log;
    this.#c = c;
    this.#client = new OtlpHttpClient(c.endpoint, c.headers, c.batchIdHeader);
  }

  start(): Promise<void> {
    if (this.#closing) return Promise.reject(new JobscopeError('JS_UNAVAILABLE', `otlp_http exporter ${this.#c.name} is closed`));
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const name = this.#c.name;
    const names = running.get(this.#log) ?? new Set<string>();
    if (names.has(name)) throw new JobscopeError('JS_CONFIG', `otlp_http exporter: another exporter named ${name} runs on this disk log`);
    names.add(name);
    running.set(this.#log, names);
    this.#registered = true;
    let cursor: DiskLogCursor;
    let intent: SendIntent | null;
    try {
      cursor = await this.#log.cursor(name);
      intent = await readIntent(this.#log.dir, name);
    } catch (e) {
      names.delete(name);
      this.#registered = false;
      throw e;
    }
    this.#intentOnDisk = intent;
    // Start right after the ack, also when an earlier exporter of this process read further.
    cursor.rewind();
    this.#cursor = cursor;
    // An intent past the log's end lost its records (power loss before the segment was synced): its seqs may
    // be given to new records, which must not be forced into the old range and so under the old id.
    const pending = intent && intent.firstSeq > cursor.acked && intent.lastSeq <= this.#log.lastSeq ? intent : null;
    this.#reader = new BatchReader(cursor, this.#c, pending);
    if (this.#stop.signal.aborted) return; // closed while starting
    this.#loop = this.#run().catch((e: unknown) => {
      // Not expected (every failure is handled in the loop); never leave a rejection behind.
      this.#lastError = `exporter stopped: ${message(e)}`;
      this.#state = 'closed';
    });
  }

  close(opts: { deadlineMs?: number; drain?: boolean } = {}): Promise<void> {
    this.#closing ??= this.#close(opts.deadlineMs ?? DEFAULT_CLOSE_DEADLINE_MS, opts.drain ?? false);
    return this.#closing;
  }

  async #close(deadlineMs: number, drain: boolean): Promise<void> {
    const deadline = Date.now() + Math.max(0, deadlineMs);
    const timer = setTimeout(() => this.#abort.abort(), Math.max(0, deadlineMs));
    if (drain) {
      await this.#starting?.catch(() => {});
      // the loop keeps sending; poll until it caught up (inputs are closed: pending only falls)
      while (this.#loop && this.#state !== 'closed' && this.stats().pendingRecords > 0 && Date.now() < deadline) await sleep(20);
    }
    this.#stop.abort();
    try {
      await this.#starting?.catch(() => {});
      await this.#loop;
    } finally {
      clearTimeout(timer);
    }
    // Waits for reads and the last ledger write (tried once more if the last one failed).
    await this.#cursor?.close().catch(() => {});
    this.#client.destroy();
    if (this.#registered) running.get(this.#log)?.delete(this.#c.name);
    this.#state = 'closed';
  }

  stats(): OtlpHttpExporterStats {
    // A batch whose ack is being written still counts as pending, so that pending reaches 0 only
    // once sentRecords/sentItems include it (a scrape never sees neither).
    const pending = (this.#cursor ? this.#cursor.pending : (this.#log.stats().cursors[this.#c.name]?.pending ?? 0)) + this.#ackingRecords;
    const oldest = this.#current?.oldestReceivedAtMs ?? this.#reader?.oldestUnsentAtMs ?? null;
    return {
      ...this.#n,
      pendingRecords: pending,
      lagMs: oldest === null || pending === 0 ? 0 : Math.max(0, Date.now() - oldest),
      lastError: this.#lastError,
      state: this.#state,
    };
  }

  async #run(): Promise<void> {
    const reader = this.#reader as BatchReader;
    const stop = this.#stop.signal;
    const readBackoff = new Backoff(this.#c.retry);
    while (!stop.aborted) {
      this.#state = 'idle';
      let batch: Batch | null;
      try {
        batch = await reader.next(stop);
        readBackoff.reset();
      } catch (e) {
        if (this.#logClosed(e)) return;
        this.#lastError = `reading the disk buffer: ${message(e)}`;
        reader.reset();
        if (!(await this.#pause(readBackoff.next()))) return;
        continue;
      }
      if (batch === null) return;
      this.#current = batch;
      try {
        await this.#deliver(batch);
      } finally {
        this.#current = null;
      }
    }
  }

  /** Sends until delivered or refused (then acks), or until close() stops it (then leaves it unacked). */
  async #deliver(batch: Batch): Promise<void> {
    const signal = batch.signal;
    if (signal === null) {
      if (await this.#ack(batch)) this.#n.droppedRecords += batch.records;
      return;
    }
    await this.#persistIntent(batch);
    const raw = Buffer.concat(batch.payloads, batch.bytes);
    const gzip = this.#c.compression === 'gzip';
    const body = gzip ? await gzipAsync(raw, GZIP_OPTIONS) : raw;
    const backoff = new Backoff(this.#c.retry);
    for (let attempt = 0; ; attempt++) {
      if (this.#stop.signal.aborted) return; // closing: resent after the next start, same id
      if (attempt > 0 && batch.firstSeq < this.#log.firstSeq) {
        // onFull='drop_oldest' deleted the start of this batch while it waited (and counted it as
        // dropped): forget the batch; what is left on disk is read again as a new batch.
        this.#reader?.reset();
        return;
      }
      this.#state = attempt === 0 ? 'sending' : 'retrying';
      this.#n.requests++;
      if (attempt > 0) this.#n.retries++;
      let result: SendResult;
      try {
        result = await this.#client.post({ signal, body, gzip, batchId: batch.id }, this.#c.timeoutMs, this.#abort.signal);
      } catch (e) {
        if (this.#abort.signal.aborted) return; // close() deadline: not the destination's failure
        this.#n.failures++;
        this.#lastError = `${batch.id}: ${message(e)}`;
        if (e instanceof PermanentError) {
          if (await this.#ack(batch)) this.#n.droppedRecords += batch.records;
          return;
        }
        this.#state = 'retrying';
        const delay = (e instanceof RetryableSendError ? e.retryAfterMs : undefined) ?? backoff.next();
        if (!(await this.#pause(delay))) return;
        continue;
      }
      this.#ackingRecords = batch.records;
      const acked = await this.#ack(batch).finally(() => { this.#ackingRecords = 0; });
      if (acked) {
        this.#n.sentRecords += batch.records - batch.unreadable;
        this.#n.droppedRecords += batch.unreadable;
        this.#n.sentItems += batch.items;
        this.#n.sentBytes += body.length;
        this.#n.rejectedItems += result.rejected;
        if (result.rejected > 0) this.#lastError = `${batch.id}: destination rejected ${result.rejected} items: ${result.errorMessage}`;
      }
      return;
    }
  }

  /** Persists the batch's range before its first attempt (skipped when the intent on disk already says so). */
  async #persistIntent(batch: Batch): Promise<void> {
    const on = this.#intentOnDisk;
    if (on && on.firstSeq === batch.firstSeq && on.lastSeq === batch.lastSeq) return;
    try {
      await writeIntent(this.#log.dir, this.#c.name, { firstSeq: batch.firstSeq, lastSeq: batch.lastSeq, id: batch.id });
      this.#intentOnDisk = { firstSeq: batch.firstSeq, lastSeq: batch.lastSeq };
    } catch (e) {
      this.#intentOnDisk = null;
      this.#lastError = `writing the send intent of ${batch.id}: ${message(e)}`;
    }
  }

  /** Acks the batch's range, retrying a failed ledger write; false when stopped or the log closed first. */
  async #ack(batch: Batch): Promise<boolean> {
    const cursor = this.#cursor as DiskLogCursor;
    const backoff = new Backoff(this.#c.retry);
    for (;;) {
      try {
        await cursor.ack(batch.lastSeq);
        return true;
      } catch (e) {
        if (this.#logClosed(e)) return false;
        this.#lastError = `acknowledging ${batch.id}: ${message(e)}`;
        if (!(await this.#pause(backoff.next()))) return false;
      }
    }
  }

  #logClosed(e: unknown): boolean {
    if (!(e instanceof DiskLogClosedError)) return false;
    this.#lastError = 'the disk log was closed';
    this.#state = 'closed';
    this.#stop.abort();
    return true;
  }

  /** Waits ms; false when close() interrupted it. */
  async #pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, this.#stop.signal);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Rows rendered when their request arrived, waiting in memory for the
 * flusher: the insert is built from them, not read back from the
 * write-ahead log, whose records hold the compact request body instead.
 *
 * A staged batch holds consecutive write-ahead appends. While every append
 * succeeds they get consecutive seqs, so the batch covers one contiguous
 * range of the log, known once its appends resolve. When an append fails,
 * that correspondence is lost: every batch is dropped and the flusher renders
 * the records from the log instead (as after a restart). A batch is sealed,
 * and a new one opened, when it reaches the flush size or when the flusher
 * takes it.
 */
import type { TableName } from '@jobscope/core';
import { JsonRows } from './json-rows.js';
import type { TableRowsPart } from './request-rows.js';

export interface SeqRange { first: number; last: number }

/** What one insert carries: rendered rows per table, their counts, and the batch ids they came with. */
export class FlushRows {
  readonly tables = new Map<TableName, JsonRows>();
  readonly batchIds: string[] = [];
  rows = 0;
  bytes = 0;

  /** Renders a request's rows; returns the bytes they took. */
  add(batchId: string, parts: readonly TableRowsPart[]): number {
    let bytes = 0;
    for (const p of parts) {
      bytes += this.#table(p.table).add(p.rows);
      this.rows += p.rows.length;
    }
    if (batchId) this.batchIds.push(batchId);
    this.bytes += bytes;
    return bytes;
  }

  /** Adds rows already rendered (an older server's write-ahead record). */
  addRendered(batchId: string, parts: readonly { table: TableName; data: Buffer; rows: number }[]): void {
    for (const p of parts) {
      this.#table(p.table).addRendered(p.data, p.rows);
      this.rows += p.rows;
      this.bytes += p.data.length;
    }
    if (batchId) this.batchIds.push(batchId);
  }

  #table(name: TableName): JsonRows {
    let t = this.tables.get(name);
    if (!t) this.tables.set(name, (t = new JsonRows()));
    return t;
  }
}

export class StagedBatch extends FlushRows {
  readonly appends: Promise<number>[] = [];
  sealed = false;

  /** The seqs the batch's records got in the log; null when an append failed. */
  async range(): Promise<SeqRange | null> {
    const seqs = await Promise.allSettled(this.appends);
    if (seqs.length === 0 || seqs.some((s) => s.status === 'rejected')) return null;
    const first = (seqs[0] as PromiseFulfilledResult<number>).value;
    const last = (seqs[seqs.length - 1] as PromiseFulfilledResult<number>).value;
    // Consecutive appends of one record each: anything else means a gap, and the log must be read.
    return last - first === seqs.length - 1 ? { first, last } : null;
  }
}

export class Staging {
  readonly #sealBytes: number;
  #batches: StagedBatch[] = [];

  constructor(sealBytes: number) {
    this.#sealBytes = sealBytes;
  }

  /** The batch new records go into. */
  open(): StagedBatch {
    const last = this.#batches[this.#batches.length - 1];
    if (last && !last.sealed) return last;
    const b = new StagedBatch();
    this.#batches.push(b);
    return b;
  }

  sealIfFull(b: StagedBatch): void {
    if (b.bytes >= this.#sealBytes) b.sealed = true;
  }

  /** The oldest batch, sealed (the flusher takes it); undefined when none. */
  oldest(): StagedBatch | undefined {
    const b = this.#batches[0];
    if (b) b.sealed = true;
    return b;
  }

  remove(b: StagedBatch): void {
    const i = this.#batches.indexOf(b);
    if (i >= 0) this.#batches.splice(i, 1);
  }

  /** An append failed: drop every batch (their records are read from the log instead). */
  clear(): void {
    for (const b of this.#batches) b.sealed = true;
    this.#batches = [];
  }

  get batches(): number { return this.#batches.length; }
}

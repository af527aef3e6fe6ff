/**
 * A batch: consecutive buffer records [firstSeq, lastSeq] of one signal,
 * sent as one request whose body is their payloads concatenated (protobuf
 * messages of one type concatenate into one message). Its id is a pure
 * function of the range, `${instanceId}-${name}-${firstSeq}-${lastSeq}`,
 * so every attempt, in this process or after a restart, sends the same id.
 * Records whose header cannot be read stay in the range (so acking the
 * range skips them in order) but add nothing to the body.
 */
import type { Signal } from '@jobscope/otlp';
import type { TelemetryRecordHeader } from '../../buffer/telemetry-record.js';

/** A buffer record as read for sending. */
export interface ReadRecord {
  seq: number;
  /** null when the record's header could not be read: it is skipped and counted as dropped. */
  header: TelemetryRecordHeader | null;
  /** The protobuf request bytes (empty for an unreadable record). */
  payload: Uint8Array;
}

export interface Batch {
  id: string;
  firstSeq: number;
  lastSeq: number;
  /** null when every record in the range was unreadable (nothing to send, only to ack). */
  signal: Signal | null;
  /** Buffer records in the range, unreadable ones included. */
  records: number;
  unreadable: number;
  /** Log records / spans / data points, from the record headers. */
  items: number;
  /** Payload bytes (uncompressed body size). */
  bytes: number;
  payloads: Uint8Array[];
  /** Earliest receive time of the records (null when all were unreadable). */
  oldestReceivedAtMs: number | null;
}

export function batchId(instanceId: string, name: string, firstSeq: number, lastSeq: number): string {
  return `${instanceId}-${name}-${firstSeq}-${lastSeq}`;
}

/** Accumulates records into a batch under the count and byte limits. */
export class BatchBuilder {
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  #first = 0;
  #last = 0;
  #signal: Signal | null = null;
  #records = 0;
  #unreadable = 0;
  #items = 0;
  #bytes = 0;
  #oldest: number | null = null;
  readonly #payloads: Uint8Array[] = [];

  constructor(maxRecords: number, maxBytes: number) {
    this.#maxRecords = maxRecords;
    this.#maxBytes = maxBytes;
  }

  get records(): number { return this.#records; }
  get lastSeq(): number { return this.#last; }
  get bytes(): number { return this.#bytes; }
  get oldestReceivedAtMs(): number | null { return this.#oldest; }

  /** No further record can be added under the limits. */
  get full(): boolean {
    return this.#records >= this.#maxRecords || this.#bytes >= this.#maxBytes;
  }

  /** r may be added under the limits (the first record always may) and its signal matches. */
  accepts(r: ReadRecord): boolean {
    return this.acceptsSignal(r) && (this.#records === 0 || (!this.full && this.#bytes + r.payload.length <= this.#maxBytes));
  }

  /** r's signal matches (an unreadable record matches any). */
  acceptsSignal(r: ReadRecord): boolean {
    return r.header === null || this.#signal === null || r.header.signal === this.#signal;
  }

  add(r: ReadRecord): void {
    if (this.#records === 0) this.#first = r.seq;
    this.#last = r.seq;
    this.#records++;
    if (r.header === null) {
      this.#unreadable++;
      return;
    }
    this.#signal ??= r.header.signal;
    this.#items += r.header.items;
    this.#bytes += r.payload.length;
    this.#payloads.push(r.payload);
    this.#oldest = this.#oldest === null ? r.header.receivedAtMs : Math.min(this.#oldest, r.header.receivedAtMs);
  }

  build(instanceId: string, name: string): Batch {
    return {
      id: batchId(instanceId, name, this.#first, this.#last),
      firstSeq: this.#first,
      lastSeq: this.#last,
      signal: this.#signal,
      records: this.#records,
      unreadable: this.#unreadable,
      items: this.#items,
      bytes: this.#bytes,
      payloads: this.#payloads,
      oldestReceivedAtMs: this.#oldest,
    };
  }
}

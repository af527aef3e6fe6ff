/**
 * The agent's intake: the one consumer every receiver hands telemetry to.
 * processors → buffer record → disk buffer append; it resolves only once the
 * record is written (the receiver may then acknowledge its sender), and
 * turns a full buffer into push-back (JS_OVERLOADED, Retry-After) under the
 * 'backpressure' policy. Under 'drop_oldest' the buffer makes room itself
 * and counts what it dropped.
 *
 * Batches that carry an idempotency id (x-jobscope-batch-id from the SDK)
 * are remembered for a while, so a client retrying a batch whose answer it
 * missed does not store it twice (the server dedups what the agent sends
 * under the agent's own batch ids).
 */
import { JobscopeError, PermanentError } from '@jobscope/core';
import {
  DiskLogClosedError, DiskLogFullError, DiskLogRecordTooLargeError, encodeTelemetryRecord, itemCount, runProcessors,
  type DiskLog, type Processor, type Telemetry, type TelemetryConsumer,
} from '@jobscope/pipeline';

const RECENT_BATCH_IDS = 20_000;

export interface IntakeStats {
  /** Items (log records, spans, data points) accepted into the buffer, by receiver. */
  recordsIn: Record<string, number>;
  /** Requests refused because the buffer was full (the sender was told to retry). */
  refusedFull: number;
  /** Batches skipped because their id was seen already. */
  duplicateBatches: number;
  /** Requests that could not be stored (too large for a segment, unencodable). */
  rejected: number;
}

export class Intake {
  readonly #log: DiskLog;
  readonly #processors: readonly Processor[];
  readonly #recordsIn: Record<string, number> = {};
  readonly #recent = new Set<string>();
  #refusedFull = 0;
  #duplicateBatches = 0;
  #rejected = 0;

  constructor(log: DiskLog, processors: readonly Processor[]) {
    this.#log = log;
    this.#processors = processors;
  }

  /** The consumer handed to one receiver (its name labels the counters). */
  consumerFor(receiver: string): TelemetryConsumer {
    this.#recordsIn[receiver] ??= 0;
    return (t) => this.#accept(receiver, t, '');
  }

  /** Like consumerFor, with an idempotency id ('' for none). */
  consumerWithBatchId(receiver: string): (t: Telemetry, batchId: string) => Promise<void> {
    this.#recordsIn[receiver] ??= 0;
    return (t, batchId) => this.#accept(receiver, t, batchId);
  }

  stats(): IntakeStats {
    return { recordsIn: { ...this.#recordsIn }, refusedFull: this.#refusedFull, duplicateBatches: this.#duplicateBatches, rejected: this.#rejected };
  }

  async #accept(receiver: string, t: Telemetry, batchId: string): Promise<void> {
    if (batchId !== '' && this.#recent.has(batchId)) {
      this.#duplicateBatches++;
      return;
    }
    const items = itemCount(t);
    const out = runProcessors(this.#processors, t);
    const kept = out === null ? 0 : itemCount(out);
    if (out !== null && kept > 0) {
      let record: Buffer;
      try {
        record = encodeTelemetryRecord(out, Date.now(), kept);
      } catch (e) {
        this.#rejected++;
        throw e instanceof JobscopeError ? e : new PermanentError(`cannot encode: ${(e as Error).message}`);
      }
      try {
        await this.#log.append(record);
      } catch (e) {
        if (e instanceof DiskLogFullError) {
          this.#refusedFull++;
          throw new JobscopeError('JS_OVERLOADED', 'the agent\'s disk buffer is full; retry later', { retryAfter: 1 });
        }
        if (e instanceof DiskLogRecordTooLargeError) {
          this.#rejected++;
          throw new JobscopeError('JS_PAYLOAD_TOO_LARGE', 'request too large for one buffer segment; send smaller batches');
        }
        if (e instanceof DiskLogClosedError) throw new JobscopeError('JS_UNAVAILABLE', 'the agent is stopping', { retryAfter: 1 });
        throw new JobscopeError('JS_UNAVAILABLE', `disk buffer write failed: ${(e as Error).message}`, { retryAfter: 1, cause: e });
      }
    }
    this.#recordsIn[receiver] = (this.#recordsIn[receiver] ?? 0) + items;
    if (batchId !== '') this.#remember(batchId);
  }

  #remember(id: string): void {
    if (this.#recent.size >= RECENT_BATCH_IDS) {
      const oldest = this.#recent.values().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
    this.#recent.add(id);
  }
}

/**
 * Spans → one batch: protobuf (span-proto.ts: the official serializer's
 * output, decoded alike, in half its time) → gzip at the logs exporter's level.
 * Ids `<stream>-<n>` as for logs (export/batch.ts): kept across retries,
 * spooling and replays, so the server stores a batch once.
 */
import { randomBytes } from 'node:crypto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { gzipAsync, type Batch, type BatchEncoding } from '../../export/batch.js';
import { ProtoWriter } from '../../proto/writer.js';
import { encodeSpans } from './span-proto.js';

export class SpanBatchEncoder implements BatchEncoding<ReadableSpan> {
  /** Serialized when the batch is cut: the spans are freed at once and the producer paces itself. */
  readonly eager = true;
  readonly #stream = randomBytes(8).toString('hex');
  readonly #level: number;
  /** Reused: encode() is synchronous up to the gzip, and batches are cut one at a time. */
  readonly #writer = new ProtoWriter(256 * 1024);
  #n = 0;

  constructor(gzipLevel: number) {
    this.#level = gzipLevel;
  }

  nextNo(): number {
    return ++this.#n;
  }

  async encode(no: number, spans: readonly ReadableSpan[], bytes: number): Promise<{ batch: Batch | null; malformed: number }> {
    if (spans.length === 0) return { batch: null, malformed: 0 };
    const raw = encodeSpans(spans, this.#writer);
    const payload = this.#level > 0 ? await gzipAsync(raw, this.#level) : raw;
    return { batch: { no, id: `${this.#stream}-${no}`, records: spans.length, bytes, payload, gzip: this.#level > 0 }, malformed: 0 };
  }
}

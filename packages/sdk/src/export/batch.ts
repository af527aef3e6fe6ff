/**
 * Batches: lines are collected until a count, byte or age bound, then
 * encoded once: JSON → OTLP records → protobuf with the official
 * ProtobufLogsSerializer → gzip. A batch carries its id from then on
 * (memory queue, spool, every retry and replay), so the server stores it
 * once. Ids are `<stream>-<n>`: a random stream id per exporter start and a
 * counter, stored with the batch when it is spooled.
 */
import { randomBytes } from 'node:crypto';
import { gzip } from 'node:zlib';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResolvedConfig } from './options.js';
import { lineToRecord, msToHrTime, type RecordContext } from './record.js';

export interface Batch {
  /** Order of creation in this process (0 for a batch read back from the spool). */
  readonly no: number;
  readonly id: string;
  readonly records: number;
  /** Line bytes the batch was made of: what the memory bounds count. */
  readonly bytes: number;
  /** Encoded request body (gzip'd protobuf unless gzipLevel is 0). */
  readonly payload: Buffer;
  readonly gzip: boolean;
}

export const SCOPE = { name: '@jobscope/sdk', version: '0.1.0' } as const;

/**
 * How a pipeline turns the items it was offered into one encoded batch: the
 * pipeline is signal-agnostic, the encoding is not. BatchEncoder (below)
 * encodes JSON log lines; tracing/init encodes spans the same way with the
 * official ProtobufTraceSerializer.
 */
export interface BatchEncoding<T> {
  /**
   * encode() does its CPU work synchronously before its first await, and
   * the pipeline calls it when the batch is cut (spans: serialized at once,
   * as the OpenTelemetry BatchSpanProcessor does) rather than when the
   * previous batch is done. Default false (log lines: encoded in turn).
   */
  readonly eager?: boolean;
  /** Next batch number (ids and the order of batches follow it). */
  nextNo(): number;
  /** Items → batch; `malformed` counts items that could not be encoded. Null when none could. */
  encode(no: number, items: readonly T[], bytes: number): Promise<{ batch: Batch | null; malformed: number }>;
}

export class BatchEncoder implements BatchEncoding<string> {
  readonly #resource: ReadableLogRecord['resource'];
  readonly #scope: ReadableLogRecord['instrumentationScope'] = { ...SCOPE };
  readonly #stream = randomBytes(8).toString('hex');
  readonly #level: number;
  #n = 0;

  constructor(config: ResolvedConfig) {
    this.#resource = resourceFromAttributes(config.resource);
    this.#level = config.gzipLevel;
  }

  /** Next batch number (ids and the order of batches follow it). */
  nextNo(): number {
    return ++this.#n;
  }

  /** Lines → batch; `malformed` counts lines that were not JSON objects. Null when none was valid. */
  async encode(no: number, lines: readonly string[], bytes: number): Promise<{ batch: Batch | null; malformed: number }> {
    const ctx: RecordContext = { resource: this.#resource, scope: this.#scope, now: msToHrTime(Date.now()) };
    const records: ReadableLogRecord[] = [];
    for (const line of lines) {
      const r = lineToRecord(line, ctx);
      if (r) records.push(r);
    }
    const malformed = lines.length - records.length;
    if (records.length === 0) return { batch: null, malformed };
    const pb = ProtobufLogsSerializer.serializeRequest(records) as Uint8Array;
    const raw = Buffer.from(pb.buffer, pb.byteOffset, pb.byteLength);
    const payload = this.#level > 0 ? await gzipAsync(raw, this.#level) : raw;
    return { batch: { no, id: `${this.#stream}-${no}`, records: records.length, bytes, payload, gzip: this.#level > 0 }, malformed };
  }
}

/** gzip off the caller's thread (libuv pool). */
export function gzipAsync(buf: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(buf, { level }, (err, out) => (err ? reject(err) : resolve(out))));
}

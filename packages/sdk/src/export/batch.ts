/**
 * Batches: lines are collected until a count, byte or age bound, then
 * encoded once: JSON → OTLP protobuf (proto/logs.ts in one pass, or the
 * official ProtobufLogsSerializer with `encoder: 'official'`; the same
 * bytes) → gzip. A batch carries its id from then on
 * (memory queue, spool, every retry and replay), so the server stores it
 * once. Ids are `<stream>-<n>`: a random stream id per exporter start and a
 * counter, stored with the batch when it is spooled.
 */
import { randomBytes } from 'node:crypto';
import { gzip } from 'node:zlib';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { HrTime } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResolvedConfig } from './options.js';
import { encodeLogLines } from '../proto/logs.js';
import { ProtoWriter } from '../proto/writer.js';
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
  readonly #official: boolean;
  /** Reused: batches are encoded one at a time (the pipeline chains them). */
  readonly #writer = new ProtoWriter(256 * 1024);
  #n = 0;

  constructor(config: ResolvedConfig) {
    this.#resource = resourceFromAttributes(config.resource);
    this.#level = config.gzipLevel;
    this.#official = config.encoder === 'official';
  }

  /** Next batch number (ids and the order of batches follow it). */
  nextNo(): number {
    return ++this.#n;
  }

  /** Lines → batch; `malformed` counts lines that were not JSON objects. Null when none was valid. */
  async encode(no: number, lines: readonly string[], bytes: number): Promise<{ batch: Batch | null; malformed: number }> {
    const now = msToHrTime(Date.now());
    const { raw, records } = this.#official ? this.#officialEncode(lines, now) : this.#encode(lines, now);
    const malformed = lines.length - records;
    if (!raw) return { batch: null, malformed };
    // raw may be the reused writer's buffer: gzip reads it before the next batch is encoded (batches are encoded in turn); kept as is, it is copied.
    const payload = this.#level > 0 ? await gzipAsync(raw, this.#level) : Buffer.from(raw);
    return { batch: { no, id: `${this.#stream}-${no}`, records, bytes, payload, gzip: this.#level > 0 }, malformed };
  }

  #encode(lines: readonly string[], now: HrTime): { raw: Buffer | null; records: number } {
    const { payload, records } = encodeLogLines(lines, this.#resource, this.#scope, now, this.#writer);
    return { raw: payload, records };
  }

  #officialEncode(lines: readonly string[], now: HrTime): { raw: Buffer | null; records: number } {
    const ctx: RecordContext = { resource: this.#resource, scope: this.#scope, now };
    const records: ReadableLogRecord[] = [];
    for (const line of lines) {
      const r = lineToRecord(line, ctx);
      if (r) records.push(r);
    }
    if (records.length === 0) return { raw: null, records: 0 };
    const pb = ProtobufLogsSerializer.serializeRequest(records) as Uint8Array;
    return { raw: Buffer.from(pb.buffer, pb.byteOffset, pb.byteLength), records: records.length };
  }
}

/** gzip off the caller's thread (libuv pool). */
export function gzipAsync(buf: Buffer, level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(buf, { level }, (err, out) => (err ? reject(err) : resolve(out))));
}

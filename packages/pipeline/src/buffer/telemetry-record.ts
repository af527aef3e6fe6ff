/**
 * How Telemetry is stored in the agent's disk buffer: one DiskLog record per
 * processed request,
 *
 *   u8 version (1) | u8 signal (0 logs, 1 traces, 2 metrics) |
 *   f64le receive time (ms since epoch) | u32le items | protobuf Export<Signal>ServiceRequest
 *
 * The payload is the OTLP protobuf body as it goes on the wire, so an
 * exporter sends buffered records without decoding them: protobuf messages
 * of one type concatenate into one message whose repeated fields are the
 * union (resourceLogs of both), which is how several records become one
 * request. The DiskLog frames and checksums each record.
 */
import { PermanentError } from '@jobscope/core';
import protobuf from 'protobufjs';
import { encodeRequest, writeLogsProto, type ExportLogsServiceRequest, type Signal } from '@jobscope/otlp';
import { itemCount, type Telemetry } from '../telemetry.js';

export const TELEMETRY_RECORD_VERSION = 1;
export const TELEMETRY_HEADER_BYTES = 14;
const SIGNALS: readonly Signal[] = ['logs', 'traces', 'metrics'];

export interface TelemetryRecordHeader {
  signal: Signal;
  /** When the agent received the data (ms since the epoch): delivery lag is measured from it. */
  receivedAtMs: number;
  /** Log records, spans or data points in the payload. */
  items: number;
}

/**
 * The buffer record of `t` (throws PermanentError if the request cannot be
 * encoded). `items` is itemCount(t), when the caller has counted already.
 */
export function encodeTelemetryRecord(t: Telemetry, receivedAtMs: number = Date.now(), items: number = itemCount(t)): Buffer {
  if (t.signal === 'logs') {
    // header and body written by one Writer: one allocation, no copy (logs are the hot path).
    // uint32 of a value < 128 is one byte; double and fixed32 are little-endian, as the layout says.
    const w = protobuf.Writer.create()
      .uint32(TELEMETRY_RECORD_VERSION).uint32(0).double(receivedAtMs).fixed32(Math.min(items, 0xffffffff));
    const bytes = writeLogsProto(w, t.request as ExportLogsServiceRequest).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  const body = encodeRequest<Signal>(t.signal, t.request, 'protobuf');
  const out = Buffer.allocUnsafe(TELEMETRY_HEADER_BYTES + body.length);
  out[0] = TELEMETRY_RECORD_VERSION;
  out[1] = SIGNALS.indexOf(t.signal);
  out.writeDoubleLE(receivedAtMs, 2);
  out.writeUInt32LE(Math.min(items, 0xffffffff), 10);
  out.set(body, TELEMETRY_HEADER_BYTES);
  return out;
}

export function readTelemetryHeader(record: Uint8Array): TelemetryRecordHeader {
  if (record.length < TELEMETRY_HEADER_BYTES || record[0] !== TELEMETRY_RECORD_VERSION) {
    throw new PermanentError(`not a telemetry record (version ${record[0] ?? 'none'}, ${record.length} bytes)`);
  }
  const signal = SIGNALS[record[1] as number];
  if (!signal) throw new PermanentError(`telemetry record with unknown signal ${record[1]}`);
  const view = Buffer.from(record.buffer, record.byteOffset, record.length);
  return { signal, receivedAtMs: view.readDoubleLE(2), items: view.readUInt32LE(10) };
}

/** The protobuf request bytes of a record (a view, no copy). */
export function telemetryPayload(record: Uint8Array): Uint8Array {
  return record.subarray(TELEMETRY_HEADER_BYTES);
}

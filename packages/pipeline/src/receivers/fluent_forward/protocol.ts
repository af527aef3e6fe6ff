/**
 * One forward-protocol message (a whole msgpack value) into log records.
 * The mode is told by the second array element, as in the spec and in
 * fluentd's in_forward:
 *   Message                 [tag, time, record, option?]
 *   Forward                 [tag, [[time, record], ...], option?]
 *   PackedForward           [tag, bin|str of concatenated [time, record], option?]
 *   CompressedPackedForward the same with option.compressed === 'gzip'
 *                           (the payload may be several gzip members)
 * A bare nil is the spec's TCP heartbeat and is ignored.
 *
 * time: integer seconds, EventTime, or (leniently, like fluentd) a float or
 * nil / 0 (= receive time); Fluent Bit's [[time, metadata], record] entry
 * form is accepted and its metadata ignored. Any other shape or type is a
 * protocol error and the connection is dropped. A record that is not a map
 * (nil included, as fluentd skips nil records) is skipped and counted.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { LogRecord } from '@jobscope/otlp';
import { nowNanos, structuredToLogRecord, toNanos } from '../shared/structured-log.js';
import { EventTime, decodeStream, decodeValue, isMap } from './codec.js';
import { FrameError, arrayElements, isArrayHeader, rawBytes } from './frame.js';

const gunzipAsync = promisify(gunzip);

export type ForwardMessage =
  | { kind: 'heartbeat' }
  | {
    kind: 'events';
    tag: string;
    records: LogRecord[];
    /** Events skipped because their record was not a map. */
    skipped: number;
    /** option.chunk when present: the sender wants { ack: chunk } once the data is durable. */
    chunk: unknown;
  };

const malformed = (msg: string): FrameError => new FrameError('malformed', msg);

function decode(b: Uint8Array, what: string): unknown {
  try {
    return decodeValue(b);
  } catch (err) {
    throw malformed(`${what}: ${(err as Error).message}`);
  }
}

/** Parses one complete message. Throws FrameError ('malformed' or 'oversize'). */
export async function parseForwardMessage(bytes: Uint8Array, maxDecompressedBytes: number): Promise<ForwardMessage> {
  if (bytes.length === 1 && bytes[0] === 0xc0) return { kind: 'heartbeat' };
  const els = arrayElements(bytes);
  if (els === undefined) throw malformed('a forward message must be an array');
  if (els.length < 2 || els.length > 4) throw malformed(`a forward message has 2 to 4 elements, got ${els.length}`);
  const part = (i: number): Uint8Array => bytes.subarray(els[i]![0], els[i]![1]);
  const tag = decode(part(0), 'tag');
  if (typeof tag !== 'string') throw malformed('tag must be a string');
  const second = part(1);
  const observed = nowNanos();
  const out = { records: [] as LogRecord[], skipped: 0 };

  if (isArrayHeader(second[0])) { // Forward
    if (els.length > 3) throw malformed('Forward mode has 2 or 3 elements');
    const entries = decode(second, 'entries') as unknown[];
    for (const e of entries) addEntry(e, observed, out);
    return { kind: 'events', tag, ...out, chunk: chunkOf(els.length === 3 ? part(2) : undefined) };
  }

  const packed = rawBytes(second);
  if (packed !== undefined) { // PackedForward / CompressedPackedForward
    if (els.length > 3) throw malformed('PackedForward mode has 2 or 3 elements');
    const option = optionOf(els.length === 3 ? part(2) : undefined);
    const compressed = option?.['compressed'];
    let stream: Uint8Array = packed;
    if (compressed === 'gzip') stream = await inflate(packed, maxDecompressedBytes);
    else if (compressed !== undefined && compressed !== null && compressed !== 'text') throw malformed(`unsupported compression ${String(compressed)}`);
    let entries: unknown[];
    try {
      entries = decodeStream(stream);
    } catch (err) {
      throw malformed(`packed entries: ${(err as Error).message}`);
    }
    for (const e of entries) addEntry(e, observed, out);
    return { kind: 'events', tag, ...out, chunk: option?.['chunk'] ?? undefined };
  }

  // Message
  if (els.length < 3) throw malformed('Message mode has 3 or 4 elements');
  addEvent(decode(second, 'time'), decode(part(2), 'record'), observed, out);
  return { kind: 'events', tag, ...out, chunk: chunkOf(els.length === 4 ? part(3) : undefined) };
}

function addEntry(e: unknown, observed: string, out: { records: LogRecord[]; skipped: number }): void {
  if (!Array.isArray(e) || e.length !== 2) throw malformed('an entry must be [time, record]');
  addEvent(e[0], e[1], observed, out);
}

function addEvent(time: unknown, record: unknown, observed: string, out: { records: LogRecord[]; skipped: number }): void {
  const ns = eventTimeNs(time, true);
  if (!isMap(record)) {
    out.skipped++;
    return;
  }
  out.records.push(structuredToLogRecord(record, ns, observed));
}

/** The event time in ns ('' = use the receive time). */
function eventTimeNs(t: unknown, allowMetadata: boolean): string {
  if (t instanceof EventTime) return t.toNanos();
  if (typeof t === 'number') return t === 0 ? '' : toNanos(t);
  if (t === null || t === undefined) return '';
  if (allowMetadata && Array.isArray(t) && t.length === 2 && (isMap(t[1]) || t[1] === null)) return eventTimeNs(t[0], false);
  throw malformed('time must be an integer or an EventTime');
}

function optionOf(b: Uint8Array | undefined): Record<string, unknown> | undefined {
  if (b === undefined) return undefined;
  const o = decode(b, 'option');
  if (o === null) return undefined;
  if (!isMap(o)) throw malformed('option must be a map');
  return o;
}

function chunkOf(b: Uint8Array | undefined): unknown {
  return optionOf(b)?.['chunk'] ?? undefined;
}

async function inflate(b: Uint8Array, max: number): Promise<Buffer> {
  try {
    return await gunzipAsync(b, { maxOutputLength: max });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new FrameError('oversize', `decompressed entries exceed ${max} bytes`);
    throw malformed(`invalid gzip entries: ${(err as Error).message}`);
  }
}

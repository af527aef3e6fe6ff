/**
 * OTLP/HTTP request decoding, protobuf and JSON, into the shapes of types.ts.
 * Anything malformed becomes a PermanentError (HTTP 400), never another
 * exception type.
 */
import { isUtf8 } from 'node:buffer';
import type { RequestBySignal, Signal } from './types.js';
import { Malformed, toPermanentError } from './wire/malformed.js';
import { ProtoReader } from './wire/reader.js';
import { decodeLogsProto } from './proto/decode-logs.js';
import { decodeTracesProto } from './proto/decode-traces.js';
import { decodeMetricsProto } from './proto/decode-metrics.js';
import { decodeLogsJson, decodeTracesJson } from './json/decode-logs-traces.js';
import { decodeMetricsJson } from './json/decode-metrics.js';

/** The two OTLP/HTTP body encodings. */
export type Encoding = 'protobuf' | 'json';

/**
 * The encoding named by a Content-Type header (parameters such as
 * `; charset=utf-8` ignored, case-insensitive), or undefined when it is
 * neither OTLP encoding (answer 415).
 */
export function contentTypeOf(header: string | undefined): Encoding | undefined {
  if (header === undefined) return undefined;
  const semi = header.indexOf(';');
  const mime = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
  switch (mime) {
    case 'application/x-protobuf':
    case 'application/protobuf':
      return 'protobuf';
    case 'application/json':
      return 'json';
    default:
      return undefined;
  }
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function decodeProtobuf(signal: Signal, buf: Buffer): RequestBySignal[Signal] {
  const r = new ProtoReader(buf);
  switch (signal) {
    case 'logs': return decodeLogsProto(r);
    case 'traces': return decodeTracesProto(r);
    case 'metrics': return decodeMetricsProto(r);
  }
}

function parseJson(buf: Buffer): unknown {
  if (!isUtf8(buf)) throw new Malformed('body is not valid UTF-8');
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // tolerate a BOM
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Malformed(`invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function decodeJson(signal: Signal, buf: Buffer): RequestBySignal[Signal] {
  const root = parseJson(buf);
  switch (signal) {
    case 'logs': return decodeLogsJson(root);
    case 'traces': return decodeTracesJson(root);
    case 'metrics': return decodeMetricsJson(root);
  }
}

/**
 * Decodes an OTLP export request body of `signal` in `contentType`.
 * Throws PermanentError (with where and what) for malformed input: truncated
 * or invalid protobuf, invalid JSON, wrong JSON types, invalid UTF-8,
 * trace/span ids of the wrong length. An empty body is a valid empty request.
 */
export function decodeRequest<S extends Signal>(signal: S, body: Uint8Array | Buffer, contentType: Encoding): RequestBySignal[S] {
  const what = `invalid OTLP ${signal} request (${contentType})`;
  try {
    if (signal !== 'logs' && signal !== 'traces' && signal !== 'metrics') throw new Malformed(`unknown signal ${String(signal)}`);
    const buf = asBuffer(body);
    if (contentType === 'protobuf') return decodeProtobuf(signal, buf) as RequestBySignal[S];
    if (contentType === 'json') return decodeJson(signal, buf) as RequestBySignal[S];
    throw new Malformed(`unsupported content type ${String(contentType)}`);
  } catch (e) {
    throw toPermanentError(e, what);
  }
}

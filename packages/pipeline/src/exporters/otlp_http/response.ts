/**
 * Reading what an OTLP/HTTP destination answered, without a protobuf
 * library: the status class, Retry-After, the partial success of a 2xx
 * (Export<Signal>ServiceResponse { partial_success = 1 { rejected_* = 1;
 * error_message = 2 } }) and the message of an error body
 * (google.rpc.Status { code = 1; message = 2 }), in protobuf or JSON.
 * A response that cannot be decoded is never an error by itself: a 2xx is
 * a success with nothing rejected, an error keeps its status.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Signal } from '@jobscope/otlp';
import { PermanentError, RetryableSendError } from './errors.js';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../shared/retry-after.js';

export { MAX_RETRY_AFTER_MS, parseRetryAfter };

export interface SendResult {
  /** Items (log records, spans, data points) the destination rejected in a partial success. */
  rejected: number;
  /** Its error message ('' when none). */
  errorMessage: string;
}

/** The outcome of a complete (or truncated) response: resolves on 2xx, throws the error class otherwise. */
export function outcome(signal: Signal, status: number, headers: IncomingHttpHeaders, body: Buffer): SendResult {
  const json = String(headers['content-type'] ?? '').includes('json');
  if (status >= 200 && status < 300) return partialSuccessOf(signal, body, json);
  const detail = statusMessageOf(body, json);
  const what = `destination answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 400 || status === 413 || status === 415) throw new PermanentError(`${what} (batch dropped)`);
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(headers['retry-after']) : undefined;
  throw new RetryableSendError(what, { status, retryAfterMs });
}

const REJECTED_JSON: Readonly<Record<Signal, string>> = { logs: 'rejectedLogRecords', traces: 'rejectedSpans', metrics: 'rejectedDataPoints' };

export function partialSuccessOf(signal: Signal, body: Buffer, json: boolean): SendResult {
  const none = { rejected: 0, errorMessage: '' };
  if (body.length === 0) return none;
  try {
    if (json) {
      const ps = (JSON.parse(body.toString('utf8')) as { partialSuccess?: Record<string, unknown> }).partialSuccess;
      if (!ps) return none;
      const rejected = Number(ps[REJECTED_JSON[signal]] ?? 0);
      return { rejected: Number.isFinite(rejected) && rejected > 0 ? rejected : 0, errorMessage: typeof ps.errorMessage === 'string' ? ps.errorMessage : '' };
    }
    const out = { rejected: 0, errorMessage: '' };
    for (const f of fields(body)) {
      if (f.no !== 1 || !(f.value instanceof Uint8Array)) continue;
      // Several occurrences of a message field merge: later scalars win.
      for (const g of fields(f.value)) {
        if (g.no === 1 && typeof g.value === 'number') out.rejected = g.value;
        else if (g.no === 2 && g.value instanceof Uint8Array) out.errorMessage = Buffer.from(g.value).toString('utf8');
      }
    }
    return out;
  } catch {
    return none; // an unreadable success response is still a success
  }
}

/** The message of an error body (google.rpc.Status), at most 200 chars; '' when there is none. */
export function statusMessageOf(body: Buffer, json: boolean): string {
  if (body.length === 0) return '';
  try {
    if (json) {
      const m = (JSON.parse(body.toString('utf8')) as { message?: unknown }).message;
      return typeof m === 'string' ? m.slice(0, 200) : '';
    }
    for (const f of fields(body)) {
      if (f.no === 2 && f.value instanceof Uint8Array) return Buffer.from(f.value).toString('utf8').slice(0, 200);
    }
  } catch {
    // not a Status
  }
  return '';
}

interface Field {
  no: number;
  /** varint as a number (precision lost past 2^53, fine for counts), bytes for length-delimited, null for fixed. */
  value: number | Uint8Array | null;
}

/** The top-level fields of a protobuf message; throws on malformed input. */
export function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new RangeError('truncated varint');
      const b = buf[pos++] as number;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw new RangeError('varint too long');
  };
  while (pos < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const type = key % 8;
    switch (type) {
      case 0:
        yield { no, value: varint() };
        break;
      case 1:
      case 5: {
        pos += type === 1 ? 8 : 4;
        if (pos > buf.length) throw new RangeError('truncated fixed field');
        yield { no, value: null };
        break;
      }
      case 2: {
        const len = varint();
        if (pos + len > buf.length) throw new RangeError('truncated field');
        yield { no, value: buf.subarray(pos, pos + len) };
        pos += len;
        break;
      }
      default:
        throw new RangeError(`unsupported wire type ${type}`);
    }
  }
}

/**
 * The innermost layer: one POST of an encoded batch over a keep-alive
 * agent, its HTTP status mapped to the send outcome classes of errors.ts.
 * 2xx resolves (with the records an OTLP partial success rejected);
 * 400/413/415 are permanent; 429 throttles (Retry-After); every other
 * status and every network error is transient (503's Retry-After kept).
 */
import http from 'node:http';
import https from 'node:https';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { parseRetryAfter } from '@jobscope/pipeline/retry-after';
import type { Batch } from './batch.js';
import type { Signal } from './env.js';
import { PermanentError, ThrottleError, TransientError } from './errors.js';

export const BATCH_ID_HEADER = 'x-jobscope-batch-id';
const MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_THROTTLE_MS = 1_000;

export interface SendResult {
  /** Records the server rejected in an OTLP partial success (not retried). */
  rejected: number;
}

export { parseRetryAfter };

export class OtlpHttpClient {
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;
  readonly #rejectedOf: (body: Buffer, type: string | undefined) => number;

  /** `signal` picks the OTLP response type that counts a partial success's rejected items. */
  constructor(endpoint: string, headers: Record<string, string>, signal: Signal = 'logs') {
    this.#url = new URL(endpoint);
    this.#rejectedOf = signal === 'traces' ? rejectedSpansOf : rejectedOf;
    this.#headers = { ...headers, 'content-type': 'application/x-protobuf' };
    const secure = this.#url.protocol === 'https:';
    this.#agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 4, keepAliveMsecs: 10_000 });
    this.#request = secure ? https.request : http.request;
  }

  post(batch: Batch, signal: AbortSignal): Promise<SendResult> {
    return new Promise<SendResult>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason ?? abortError());
      const headers: Record<string, string | number> = {
        ...this.#headers, [BATCH_ID_HEADER]: batch.id, 'content-length': batch.payload.length,
      };
      if (batch.gzip) headers['content-encoding'] = 'gzip';
      const req = this.#request(this.#url, { method: 'POST', agent: this.#agent, headers, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
        });
        res.on('error', (e) => reject(new TransientError(`response from ${this.#url.host} failed: ${e.message}`, { cause: e })));
        res.on('close', () => {
          if (!res.complete) reject(signal.aborted ? (signal.reason ?? abortError()) : new TransientError(`response from ${this.#url.host} cut short`));
        });
        res.on('end', () => {
          try {
            resolve(outcome(res.statusCode ?? 0, res.headers, Buffer.concat(chunks), this.#rejectedOf));
          } catch (e) {
            reject(e);
          }
        });
      });
      req.on('error', (e) => {
        if (signal.aborted) reject(signal.reason ?? e);
        else reject(new TransientError(`POST ${this.#url.host}: ${e.message}`, { cause: e }));
      });
      req.end(batch.payload);
    });
  }

  /** Closes idle keep-alive sockets (and in-flight ones) so the process or worker can exit. */
  destroy(): void {
    this.#agent.destroy();
  }
}

function outcome(status: number, headers: http.IncomingHttpHeaders, body: Buffer, rejected: typeof rejectedOf): SendResult {
  if (status >= 200 && status < 300) return { rejected: rejected(body, headers['content-type']) };
  const detail = body.length > 0 && /json|text/.test(String(headers['content-type'])) ? `: ${body.toString('utf8', 0, 200)}` : '';
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (status === 400 || status === 413 || status === 415) throw new PermanentError(`server refused the batch (HTTP ${status})${detail}`);
  if (status === 429) throw new ThrottleError(`server throttled (HTTP 429)${detail}`, retryAfterMs ?? DEFAULT_THROTTLE_MS);
  throw new TransientError(`server answered HTTP ${status}${detail}`, { status, retryAfterMs });
}

function rejectedOf(body: Buffer, type: string | undefined): number {
  if (body.length === 0 || !String(type).includes('protobuf')) return 0;
  try {
    const r = ProtobufLogsSerializer.deserializeResponse(body);
    return Number(r.partialSuccess?.rejectedLogRecords ?? 0) || 0;
  } catch {
    return 0; // an unreadable success response is still a success
  }
}

function rejectedSpansOf(body: Buffer, type: string | undefined): number {
  if (body.length === 0 || !String(type).includes('protobuf')) return 0;
  try {
    const r = ProtobufTraceSerializer.deserializeResponse(body);
    return Number(r.partialSuccess?.rejectedSpans ?? 0) || 0;
  } catch {
    return 0;
  }
}

function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}

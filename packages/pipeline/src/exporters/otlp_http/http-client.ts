/**
 * One POST of a ready request body to {endpoint}/v1/<signal> over a
 * keep-alive agent, turned into a SendResult or one of the error classes of
 * errors.ts. At most 64 KiB of a response is read (a longer one is cut and
 * its socket dropped); the timeout covers the whole exchange, body included.
 */
import http from 'node:http';
import https from 'node:https';
import type { Signal } from '@jobscope/otlp';
import { deadline } from './deadline.js';
import { isAbort, RetryableSendError } from './errors.js';
import { outcome, type SendResult } from './response.js';

export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface PostRequest {
  signal: Signal;
  body: Buffer;
  gzip: boolean;
  /** Batch id sent in the batch id header (when one is configured). */
  batchId: string;
}

export class OtlpHttpClient {
  readonly #urls: Record<Signal, URL>;
  readonly #headers: Record<string, string>;
  readonly #batchIdHeader: string | null;
  readonly #agent: http.Agent;
  readonly #request: typeof http.request;

  constructor(endpoint: string, headers: Record<string, string>, batchIdHeader: string | null) {
    const base = endpoint.replace(/\/+$/, '');
    this.#urls = { logs: new URL(base + '/v1/logs'), traces: new URL(base + '/v1/traces'), metrics: new URL(base + '/v1/metrics') };
    this.#headers = { ...headers, 'content-type': 'application/x-protobuf' };
    this.#batchIdHeader = batchIdHeader;
    const secure = this.#urls.logs.protocol === 'https:';
    // One request at a time per exporter; a second socket covers a reconnect while the old one closes.
    this.#agent = new (secure ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 2, keepAliveMsecs: 10_000 });
    this.#request = secure ? https.request : http.request;
  }

  /** Sends once; rejects with PermanentError, RetryableSendError, or the abort reason (timeout mapped to retryable). */
  async post(req: PostRequest, timeoutMs: number, abort: AbortSignal): Promise<SendResult> {
    const d = deadline(abort, timeoutMs);
    try {
      return await this.#post(req, d.signal);
    } catch (e) {
      if (d.timedOut()) throw new RetryableSendError(`request timed out after ${timeoutMs} ms`, { cause: e });
      throw e;
    } finally {
      d.dispose();
    }
  }

  #post(req: PostRequest, signal: AbortSignal): Promise<SendResult> {
    const url = this.#urls[req.signal];
    return new Promise<SendResult>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason ?? abortError());
      let settled = false;
      const settle = (fn: () => SendResult): void => {
        if (settled) return;
        settled = true;
        try {
          resolve(fn());
        } catch (e) {
          reject(e);
        }
      };
      const fail = (e: unknown): void => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const headers: Record<string, string | number> = { ...this.#headers, 'content-length': req.body.length };
      if (this.#batchIdHeader !== null) headers[this.#batchIdHeader] = req.batchId;
      if (req.gzip) headers['content-encoding'] = 'gzip';
      const cr = this.#request(url, { method: 'POST', agent: this.#agent, headers, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const status = res.statusCode ?? 0;
        res.on('data', (c: Buffer) => {
          const room = MAX_RESPONSE_BYTES - size;
          size += c.length;
          chunks.push(room >= c.length ? c : c.subarray(0, room));
          if (size >= MAX_RESPONSE_BYTES && !res.complete) {
            // Enough: judge by what we have and drop the socket rather than read on.
            settle(() => outcome(req.signal, status, res.headers, Buffer.concat(chunks)));
            res.destroy();
          }
        });
        res.on('error', (e) => fail(signal.aborted ? (signal.reason ?? e) : new RetryableSendError(`response from ${url.host} failed: ${e.message}`, { cause: e })));
        res.on('close', () => {
          if (!res.complete) fail(signal.aborted ? (signal.reason ?? abortError()) : new RetryableSendError(`response from ${url.host} cut short`));
        });
        res.on('end', () => settle(() => outcome(req.signal, status, res.headers, Buffer.concat(chunks))));
      });
      cr.on('error', (e) => {
        if (signal.aborted || isAbort(e)) fail(signal.reason ?? e);
        else fail(new RetryableSendError(`POST ${url.href}: ${e.message || (e as NodeJS.ErrnoException).code || 'failed'}`, { cause: e }));
      });
      cr.end(req.body);
    });
  }

  /** Closes keep-alive sockets (and any in flight). */
  destroy(): void {
    this.#agent.destroy();
  }
}

function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}

/**
 * OTLP/HTTP receiver as a Fastify plugin: decodes JSON or protobuf (gzip or
 * not) and hands the request to `next`, answering per the OTLP/HTTP spec:
 * 200 with a response message (partial success when some data was
 * rejected), 400 malformed, 413 too large, 415 unknown content type,
 * 429/503 with Retry-After when `next` is overloaded. The response is sent
 * only after `next` resolves, i.e. once the data is durable downstream.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JobscopeError, PermanentError } from '@jobscope/core';
import {
  contentTypeOf, decodeRequest, encodeResponse, encodeStatus, rpcCodeForHttpStatus,
  type Encoding, type PartialSuccess, type RequestBySignal, type Signal,
} from '@jobscope/otlp';
import { DEFAULT_OTLP_HTTP_CONFIG, validateOtlpHttpConfig, type OtlpHttpReceiverConfig } from './config.js';

const gunzipAsync = promisify(gunzip);

export interface ReceivedMeta {
  /** Idempotency key of the batch ('' when the client sent none). */
  batchId: string;
  /** Bytes of the decoded (uncompressed) body. */
  bytes: number;
  /** The decoded (uncompressed) body itself, and how it is encoded (a server's write-ahead log keeps it). */
  body: Buffer;
  encoding: Encoding;
}

export interface OtlpHttpReceiverHooks {
  /**
   * Called before a request is decoded; throwing a JobscopeError (e.g.
   * JS_OVERLOADED) answers it at once, so a refused request costs no decoding.
   */
  admit?(signal: Signal): void;
}

/** Next consumer: resolves once the data is durable; may return a partial success. */
export type OtlpConsumer = <S extends Signal>(signal: S, req: RequestBySignal[S], meta: ReceivedMeta) => Promise<PartialSuccess | void>;

const ROUTES: readonly [string, Signal][] = [['/v1/logs', 'logs'], ['/v1/traces', 'traces'], ['/v1/metrics', 'metrics']];
const RAW_TYPES = ['application/x-protobuf', 'application/protobuf', 'application/json'];

export function otlpHttpReceiver(next: OtlpConsumer, config: Partial<OtlpHttpReceiverConfig> = {}, hooks: OtlpHttpReceiverHooks = {}) {
  const c: OtlpHttpReceiverConfig = { ...DEFAULT_OTLP_HTTP_CONFIG, ...config };
  validateOtlpHttpConfig(c);
  return async function plugin(app: FastifyInstance): Promise<void> {
    // Bodies stay raw bytes: the OTLP codec decodes them (JSON included).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: c.maxBodyBytes }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: c.maxBodyBytes }, (_req, _body, done) => {
      done(new JobscopeError('JS_UNSUPPORTED_MEDIA_TYPE', 'content type must be application/x-protobuf or application/json'), undefined);
    });
    // Fastify's own errors (body too large, bad headers) answered as OTLP Status too.
    app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      const enc = contentTypeOf(req.headers['content-type']) ?? 'json';
      const status = err instanceof JobscopeError ? err.status : err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      reply.code(status).header('content-type', mime(enc)).send(encodeStatus(rpcCodeForHttpStatus(status), status >= 500 ? 'internal error' : err.message, enc));
    });
    for (const [url, signal] of ROUTES) {
      app.post(url, { bodyLimit: c.maxBodyBytes }, (req, reply) => handle(signal, req, reply, next, c, hooks));
    }
  };
}

async function handle(
  signal: Signal, req: FastifyRequest, reply: FastifyReply, next: OtlpConsumer, c: OtlpHttpReceiverConfig, hooks: OtlpHttpReceiverHooks,
): Promise<void> {
  const enc = contentTypeOf(req.headers['content-type']) ?? 'json';
  try {
    if (!contentTypeOf(req.headers['content-type'])) {
      throw new JobscopeError('JS_UNSUPPORTED_MEDIA_TYPE', 'content type must be application/x-protobuf or application/json');
    }
    hooks.admit?.(signal);
    let body = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding === 'gzip') body = await inflate(body, c.maxDecompressedBytes);
    else if (encoding !== 'identity') throw new JobscopeError('JS_UNSUPPORTED_MEDIA_TYPE', `content encoding ${encoding} is not supported (use gzip or none)`);
    const decoded = decodeRequest(signal, body, enc);
    const batchId = headerValue(req.headers[c.batchIdHeader]);
    const partial = await next(signal, decoded, { batchId, bytes: body.length, body, encoding: enc });
    reply.code(200).header('content-type', mime(enc)).send(encodeResponse(signal, partial ?? undefined, enc));
  } catch (err) {
    const e = err instanceof JobscopeError ? err : new JobscopeError('JS_INTERNAL', 'internal error', { cause: err });
    if (e.status >= 500 && !(err instanceof JobscopeError)) req.log.error({ err }, 'otlp ingest failed');
    if (e.retryAfter !== undefined) reply.header('retry-after', String(e.retryAfter));
    reply.code(e.status).header('content-type', mime(enc)).send(encodeStatus(rpcCodeForHttpStatus(e.status), e.message, enc));
  }
}

async function inflate(body: Buffer, max: number): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: max });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || (err as Error).message.includes('maxOutputLength')) {
      throw new JobscopeError('JS_PAYLOAD_TOO_LARGE', `decompressed body exceeds ${max} bytes`);
    }
    throw new PermanentError(`invalid gzip body: ${(err as Error).message}`);
  }
}

function headerValue(h: string | string[] | undefined): string {
  const v = Array.isArray(h) ? h[0] : h;
  return v && v.length <= 200 ? v : '';
}

const mime = (enc: 'protobuf' | 'json'): string => (enc === 'protobuf' ? 'application/x-protobuf' : 'application/json');

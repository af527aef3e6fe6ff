/**
 * fluent_http receiver as a Fastify plugin: speaks Fluent Bit's HTTP input
 * protocol so anything that posts there (Fluent Bit's `http` output, curl,
 * app log shippers) can post to the agent instead. POST /<tag> with JSON
 * (an object or an array of objects) or NDJSON, gzip or not; each object
 * becomes one log record (structured-log.ts), the tag a resource attribute.
 *
 * Answers: 201 with an empty body (Fluent Bit's default success code) once
 * `next` has made the records durable; 400 malformed, 413 too large, 415
 * unsupported content type or encoding, 429/503 with Retry-After when `next`
 * pushes back, 500 otherwise. Nothing a client sends can crash it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JobscopeError, type ErrorCode } from '@jobscope/core';
import type { TelemetryConsumer } from '../../telemetry.js';
import { logsRequest, nowNanos, structuredToLogRecord } from '../shared/structured-log.js';
import { decodeBody, formatOf, parseRecords } from './body.js';
import { DEFAULT_FLUENT_HTTP_CONFIG, validateFluentHttpConfig, type FluentHttpReceiverConfig } from './config.js';
import { tagOf } from './tag.js';

/** Instrumentation scope name of the records this receiver makes. */
export const FLUENT_HTTP_SCOPE = 'jobscope.agent.fluent_http';
/** Resource attribute holding the Fluent tag. */
export const FLUENT_TAG_ATTRIBUTE = 'fluent.tag';

const UNSUPPORTED = 'content type must be application/json or application/x-ndjson';

export function fluentHttpReceiver(next: TelemetryConsumer, config: Partial<FluentHttpReceiverConfig> = {}) {
  const given = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as Partial<FluentHttpReceiverConfig>;
  const c: FluentHttpReceiverConfig = { ...DEFAULT_FLUENT_HTTP_CONFIG, ...given };
  validateFluentHttpConfig(c);
  return async function plugin(app: FastifyInstance): Promise<void> {
    // Bodies stay raw bytes: the content type is checked and the body parsed in handle().
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: c.maxBodyBytes }, (_req, body, done) => done(null, body));
    // Fastify's own errors (body too large, bad headers) answered in the same shape.
    app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      const status = err instanceof JobscopeError ? err.status : err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
      if (status >= 500) req.log.error({ err }, 'fluent_http request failed');
      sendError(reply, status, codeFor(status), status >= 500 ? 'internal error' : err.message);
    });
    app.post('/*', { bodyLimit: c.maxBodyBytes }, (req, reply) => handle(req, reply, next, c));
  };
}

async function handle(req: FastifyRequest, reply: FastifyReply, next: TelemetryConsumer, c: FluentHttpReceiverConfig): Promise<void> {
  try {
    const format = formatOf(req.headers['content-type']);
    if (format === undefined) throw new JobscopeError('JS_UNSUPPORTED_MEDIA_TYPE', UNSUPPORTED);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const body = await decodeBody(raw, req.headers['content-encoding'], c.maxDecompressedBytes);
    const objects = parseRecords(body, format, c.maxRecordsPerRequest);
    if (objects.length > 0) {
      const observed = nowNanos();
      const records = objects.map((o) => structuredToLogRecord(o, '', observed));
      await next({ signal: 'logs', request: logsRequest({ [FLUENT_TAG_ATTRIBUTE]: tagOf(req.url) }, FLUENT_HTTP_SCOPE, records) });
    }
    reply.code(201).send();
  } catch (err) {
    if (err instanceof JobscopeError) {
      // 503 is push-back (a message meant for the client); other 5xx are our failures, not described to it.
      const internal = err.status >= 500 && err.status !== 503;
      if (internal) req.log.error({ err }, 'fluent_http ingest failed');
      if (err.retryAfter !== undefined) reply.header('retry-after', String(Math.max(0, Math.ceil(err.retryAfter))));
      sendError(reply, err.status, err.code, internal ? 'internal error' : err.message);
    } else {
      req.log.error({ err }, 'fluent_http ingest failed');
      sendError(reply, 500, 'JS_INTERNAL', 'internal error');
    }
  }
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): void {
  reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ error: message, code }));
}

function codeFor(status: number): ErrorCode {
  switch (status) {
    case 413: return 'JS_PAYLOAD_TOO_LARGE';
    case 415: return 'JS_UNSUPPORTED_MEDIA_TYPE';
    case 429: return 'JS_OVERLOADED';
    case 503: return 'JS_UNAVAILABLE';
    default: return status >= 500 ? 'JS_INTERNAL' : status === 401 ? 'JS_UNAUTHORIZED' : status === 404 ? 'JS_NOT_FOUND' : 'JS_BAD_REQUEST';
  }
}

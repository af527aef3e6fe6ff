/**
 * HTTP client spans (OpenTelemetry HTTP semantic conventions, stable): name
 * `{method}` (`HTTP` for an unknown method), kind CLIENT,
 * `http.request.method` (+ `http.request.method_original` when it differs),
 * `url.full` (credentials and signature query values redacted),
 * `server.address`, `server.port` (80/443 when the URL has none),
 * `http.request.resend_count` on retries, `http.response.status_code`; a
 * status ≥ 400 sets status ERROR and `error.type` to the code, a throw sets
 * `error.type` to the error's code or name.
 *
 * Used by traceWebhook and by traceConnectorCall('rest').
 */
import { context as contextApi, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { extractJobContext } from '../propagation/index.js';
import { fillJob, jobOf, readJob } from './job.js';
import { defaultTracer, failSpan, num, type SpanCallback, type TraceOptions } from './run.js';
import {
  ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_REQUEST_METHOD_ORIGINAL, ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL,
} from './semconv.js';

export interface HttpAttrs {
  /** Default GET (traceWebhook: POST). */
  method?: string;
  url?: string;
  /** Default: from url. */
  serverAddress?: string;
  serverPort?: number;
  /** Resends before this request (retries): 0 on the first try; set only when > 0. */
  resendCount?: number;
  /** The response's status; ≥ 400 marks the span failed. Set automatically when the callback returns an object with a numeric `status` (a fetch Response). */
  statusCode?: number;
}

interface MethodInfo {
  readonly value: string;
  readonly original?: string;
  readonly name: string;
}

/** The methods the conventions know, each with its (shared) attribute value and span name. */
const KNOWN_METHODS = new Map<string, MethodInfo>(
  ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'].map((m) => [m, Object.freeze({ value: m, name: m })]),
);
const OTHER_METHOD = '_OTHER';
const OTHER_METHOD_SPAN_NAME = 'HTTP';
/** Query parameters whose values url.full must not carry (semantic conventions' default list). */
const SENSITIVE_QUERY = ['AWSAccessKeyId', 'Signature', 'sig', 'X-Goog-Signature'];
const REDACTED = 'REDACTED';

interface UrlInfo {
  readonly full: string;
  readonly address: string;
  readonly port: number | undefined;
}

/** Parsed URLs, by their text: connectors and webhooks call the same few endpoints again and again. */
const urlCache = new Map<string, UrlInfo | null>();
const URL_CACHE_MAX = 512;

export function urlInfo(raw: string): UrlInfo | undefined {
  const hit = urlCache.get(raw);
  if (hit !== undefined) return hit ?? undefined;
  let info: UrlInfo | null = null;
  try {
    const u = new URL(raw);
    if (u.username !== '' || u.password !== '') {
      u.username = REDACTED;
      if (u.password !== '') u.password = REDACTED;
    }
    if (u.search !== '') {
      for (const key of SENSITIVE_QUERY) if (u.searchParams.has(key)) u.searchParams.set(key, REDACTED);
    }
    const host = u.hostname.startsWith('[') && u.hostname.endsWith(']') ? u.hostname.slice(1, -1) : u.hostname;
    const port = u.port !== '' ? Number(u.port) : u.protocol === 'https:' || u.protocol === 'wss:' ? 443 : u.protocol === 'http:' || u.protocol === 'ws:' ? 80 : undefined;
    info = { full: u.href, address: host, port };
  } catch {
    info = null;
  }
  if (urlCache.size >= URL_CACHE_MAX) urlCache.clear();
  urlCache.set(raw, info);
  return info ?? undefined;
}

/** `http.request.method` value and the span name for a method. */
function methodOf(method: string | undefined, fallback: string): MethodInfo {
  const m = method === undefined || method === '' ? fallback : method;
  const known = KNOWN_METHODS.get(m);
  if (known !== undefined) return known;
  const upper = m.toUpperCase();
  if (KNOWN_METHODS.has(upper)) return { value: upper, original: m, name: upper };
  return { value: OTHER_METHOD, original: m, name: OTHER_METHOD_SPAN_NAME };
}

/** server.address / server.port (and url.full when withUrl) from the attributes. */
export function fillServer(out: Attributes, a: { url?: string; serverAddress?: string; serverPort?: number }, withUrl: boolean): void {
  const info = a.url !== undefined ? urlInfo(a.url) : undefined;
  if (info !== undefined && withUrl) out[ATTR_URL_FULL] = info.full;
  const address = a.serverAddress ?? info?.address;
  if (address !== undefined && address !== '') out[ATTR_SERVER_ADDRESS] = address;
  const port = a.serverPort ?? info?.port;
  if (port !== undefined) out[ATTR_SERVER_PORT] = port;
}

/** HTTP attributes except the method (set at start by startHttpSpan). */
export function fillHttp(out: Attributes, a: HttpAttrs): void {
  if (a.url !== undefined || a.serverAddress !== undefined || a.serverPort !== undefined) fillServer(out, a, true);
  if (a.resendCount !== undefined && a.resendCount > 0) out[ATTR_HTTP_REQUEST_RESEND_COUNT] = a.resendCount;
  if (a.statusCode !== undefined) out[ATTR_HTTP_RESPONSE_STATUS_CODE] = a.statusCode;
}

/** Status ERROR and error.type = the code for a status ≥ 400 (client spans). */
function markStatus(span: Span, code: number): void {
  if (code >= 400) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute(ATTR_ERROR_TYPE, String(code));
  }
}

/** A fetch Response's (or any `{status: number}`) HTTP status, else 0. */
function responseStatus(r: unknown): number {
  if (r === null || typeof r !== 'object') return 0;
  const s = (r as { status?: unknown }).status;
  return typeof s === 'number' && Number.isInteger(s) && s >= 100 && s <= 599 ? s : 0;
}

/** Starts an HTTP CLIENT span: name and attributes per the conventions, plus `extra` (job fields…). */
export function startHttpSpan(tracer: TraceOptions['tracer'], parent: Context, a: HttpAttrs, defaultMethod: string, extra?: Attributes): Span {
  const m = methodOf(a.method, defaultMethod);
  const attrs: Attributes = extra ?? {};
  attrs[ATTR_HTTP_REQUEST_METHOD] = m.value;
  if (m.original !== undefined) attrs[ATTR_HTTP_REQUEST_METHOD_ORIGINAL] = m.original;
  fillHttp(attrs, a);
  const span = (tracer ?? defaultTracer()).startSpan(m.name, { kind: SpanKind.CLIENT, attributes: attrs }, parent);
  if (a.statusCode !== undefined) markStatus(span, a.statusCode);
  return span;
}

/**
 * Runs an HTTP span's callback: `set({statusCode})` (or a returned
 * Response) records the status; on a throw, error.type is the status code
 * when one ≥ 400 was seen, else the error's code or name.
 */
export async function runHttp<T, A extends HttpAttrs = HttpAttrs>(
  span: Span, ctx: Context, fn: SpanCallback<T, A>, fill: (out: Attributes, a: A) => void = fillHttp,
): Promise<T> {
  let status = 0;
  const set = (a: A): void => {
    if (a === null || a === undefined) return;
    const out: Attributes = {};
    fill(out, a);
    span.setAttributes(out);
    if (a.statusCode !== undefined) {
      status = a.statusCode;
      markStatus(span, status);
    }
  };
  try {
    const r = await contextApi.with(ctx, fn, undefined, span, set);
    if (status === 0) {
      const s = responseStatus(r);
      if (s !== 0) {
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, s);
        markStatus(span, s);
      }
    }
    return r;
  } catch (err) {
    failSpan(span, err);
    if (status >= 400) span.setAttribute(ATTR_ERROR_TYPE, String(status));
    throw err;
  } finally {
    span.end();
  }
}

export interface WebhookTraceOptions extends TraceOptions {
  /** Default POST. */
  method?: string;
  /** Resends of this webhook before this request (retry n → n); or give `attempt` (1-based). */
  resendCount?: number;
  attempt?: number;
}

/**
 * Wraps one webhook request (one try: call it again for each retry, with
 * `attempt`) in an HTTP CLIENT span `POST`. Parent: `opts.parent`, else the
 * active context when it is inside this job's spans (a webhook sent by the
 * worker within traceProcess), else the job's own trace context (a webhook
 * service with no shared context). Carries the job's fields.
 *
 *   await traceWebhook(job, job.webhook_url, (span, set) => fetch(url, { method: 'POST', body }), { attempt });
 */
export function traceWebhook<T>(job: object, url: string, fn: SpanCallback<T, HttpAttrs>, opts?: WebhookTraceOptions): Promise<T> {
  const active = contextApi.active();
  const info = readJob(job);
  let parent = opts?.parent;
  if (parent === undefined) {
    const current = jobOf(active);
    parent = current !== undefined && current.jobId !== undefined && current.jobId === info.jobId ? active : extractJobContext(job, active);
  }
  const attrs: Attributes = {};
  fillJob(attrs, info);
  const attempt = opts?.attempt !== undefined ? num(opts.attempt) : undefined;
  const resendCount = opts?.resendCount ?? (attempt !== undefined ? attempt - 1 : undefined);
  const span = startHttpSpan(opts?.tracer, parent, { method: opts?.method, url, resendCount }, 'POST', attrs);
  return runHttp(span, trace.setSpan(parent, span), fn);
}

/**
 * Configuration of the agent's OTLP/HTTP exporter (one destination, one
 * disk buffer cursor), its defaults, and the checks done once at creation:
 * fail fast on config, never later because of it.
 */
import { JobscopeError } from '@jobscope/core';

export interface OtlpHttpExporterRetryConfig {
  /** First backoff bound in ms (full jitter: a delay is uniform in [0, bound]). */
  initialDelayMs: number;
  /** Largest backoff bound in ms. */
  maxDelayMs: number;
}

export interface OtlpHttpExporterConfig {
  /** Destination name = the DiskLog cursor name (e.g. 'server'). */
  name: string;
  /** Base URL: requests go to {endpoint}/v1/logs|traces|metrics. */
  endpoint: string;
  /** Extra request headers (e.g. authorization). */
  headers: Record<string, string>;
  /** Header carrying the batch id; null for backends that do not know it. */
  batchIdHeader: string | null;
  /** Stable id of this buffer (persisted by the caller); part of every batch id. */
  instanceId: string;
  /** Payload bytes per request (uncompressed); a single larger record goes alone. */
  maxBatchBytes: number;
  /** Buffer records per request. */
  maxBatchRecords: number;
  /** After the first record of a batch, wait up to this long for more before sending. */
  lingerMs: number;
  /** One request (connect, send, response) may take this long, then it is aborted and retried. */
  timeoutMs: number;
  compression: 'gzip' | 'none';
  retry: OtlpHttpExporterRetryConfig;
}

/** What createOtlpHttpExporter takes: name, endpoint and instanceId are required. */
export type OtlpHttpExporterOptions =
  Pick<OtlpHttpExporterConfig, 'name' | 'endpoint' | 'instanceId'>
  & Partial<Omit<OtlpHttpExporterConfig, 'name' | 'endpoint' | 'instanceId' | 'retry'>>
  & { retry?: Partial<OtlpHttpExporterRetryConfig> };

export const DEFAULT_OTLP_HTTP_EXPORTER_CONFIG: Readonly<Omit<OtlpHttpExporterConfig, 'name' | 'endpoint' | 'instanceId'>> = Object.freeze({
  headers: {},
  batchIdHeader: 'x-jobscope-batch-id',
  maxBatchBytes: 4 * 1024 * 1024,
  maxBatchRecords: 256,
  lingerMs: 200,
  timeoutMs: 10_000,
  compression: 'gzip',
  retry: Object.freeze({ initialDelayMs: 200, maxDelayMs: 30_000 }),
});

/** Same rule as DiskLog cursor names (the name is one). */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const INSTANCE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** Receivers ignore batch ids longer than 200 chars; two seqs take at most 2 × 16 digits + 3 dashes. */
const MAX_ID_PREFIX = 200 - 35;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_HEADERS = new Set(['content-type', 'content-encoding', 'content-length', 'transfer-encoding', 'host', 'connection']);

function configError(message: string): JobscopeError {
  return new JobscopeError('JS_CONFIG', `otlp_http exporter: ${message}`);
}

function int(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw configError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

/** The object without its undefined fields (an explicit undefined means "default"). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Defaults filled in and every field checked (throws JobscopeError JS_CONFIG). */
export function resolveOtlpHttpExporterConfig(o: OtlpHttpExporterOptions): OtlpHttpExporterConfig {
  const d = DEFAULT_OTLP_HTTP_EXPORTER_CONFIG;
  const c: OtlpHttpExporterConfig = {
    ...d,
    ...defined(o),
    headers: { ...(o.headers ?? d.headers) },
    retry: { ...d.retry, ...defined(o.retry ?? {}) },
  } as OtlpHttpExporterConfig;
  if (typeof c.name !== 'string' || !NAME.test(c.name)) throw configError(`name must match ${NAME}, got ${JSON.stringify(c.name)}`);
  if (typeof c.instanceId !== 'string' || !INSTANCE_ID.test(c.instanceId)) {
    throw configError(`instanceId must match ${INSTANCE_ID}, got ${JSON.stringify(c.instanceId)}`);
  }
  if (c.instanceId.length + 1 + c.name.length > MAX_ID_PREFIX) throw configError(`instanceId and name together are too long for a batch id`);
  let url: URL;
  try {
    url = new URL(c.endpoint);
  } catch {
    throw configError(`endpoint is not a URL: ${JSON.stringify(c.endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw configError(`endpoint must be http:// or https://, got ${url.protocol}`);
  if (url.search || url.hash) throw configError('endpoint must not have a query or fragment');
  for (const [k, v] of Object.entries(c.headers)) {
    if (!HEADER_NAME.test(k)) throw configError(`invalid header name ${JSON.stringify(k)}`);
    if (RESERVED_HEADERS.has(k.toLowerCase())) throw configError(`header ${k} is set by the exporter`);
    if (typeof v !== 'string' || /[\r\n\0]/.test(v)) throw configError(`header ${k} must be a single-line string`);
  }
  if (c.batchIdHeader !== null) {
    if (typeof c.batchIdHeader !== 'string' || !/^[a-z0-9-]+$/.test(c.batchIdHeader)) {
      throw configError('batchIdHeader must be a lowercase header name or null');
    }
    if (RESERVED_HEADERS.has(c.batchIdHeader)) throw configError(`batchIdHeader cannot be ${c.batchIdHeader}`);
  }
  int('maxBatchBytes', c.maxBatchBytes, 1);
  int('maxBatchRecords', c.maxBatchRecords, 1);
  int('lingerMs', c.lingerMs, 0, 3_600_000);
  int('timeoutMs', c.timeoutMs, 1, 3_600_000);
  if (c.compression !== 'gzip' && c.compression !== 'none') throw configError(`compression must be 'gzip' or 'none', got ${String(c.compression)}`);
  int('retry.initialDelayMs', c.retry.initialDelayMs, 1, 3_600_000);
  int('retry.maxDelayMs', c.retry.maxDelayMs, c.retry.initialDelayMs, 3_600_000);
  return c;
}

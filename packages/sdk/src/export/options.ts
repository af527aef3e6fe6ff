/**
 * Options of createExporter: defaults, the standard OTEL_* environment
 * variables, and validation. Everything is checked here, once, with a
 * precise message: this is the only place the exporter throws. The result
 * is a plain object that can be handed to the worker thread.
 *
 * Precedence: options > OTEL_EXPORTER_OTLP_LOGS_* > OTEL_EXPORTER_OTLP_* >
 * defaults; resource: options.serviceName > options.resource > OTEL_SERVICE_NAME >
 * OTEL_RESOURCE_ATTRIBUTES > the SDK's default resource.
 *
 * resolveOptions(o, 'traces') resolves the same options for the traces
 * exporter (tracing/init): OTEL_EXPORTER_OTLP_TRACES_* and `/v1/traces`,
 * the default spool directory's `traces` subfolder.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultResource } from '@opentelemetry/resources';
import { configError } from './errors.js';
import { DEFAULT_ENDPOINT, DEFAULT_TRACES_ENDPOINT, endpointFromEnv, headersFromEnv, parseHeaderList, type Signal } from './env.js';

export type AttributeValue = string | number | boolean;
const KiB = 1024;
const MiB = 1024 * KiB;

export interface ExporterOptions {
  /** OTLP/HTTP logs URL. Default: from OTEL_EXPORTER_OTLP_(LOGS_)ENDPOINT, else http://localhost:4318/v1/logs. */
  endpoint?: string;
  /** Extra request headers (e.g. authorization), over OTEL_EXPORTER_OTLP_(LOGS_)HEADERS. */
  headers?: Record<string, string>;
  /** service.name of the resource. */
  serviceName?: string;
  /** Resource attributes, over OTEL_RESOURCE_ATTRIBUTES. */
  resource?: Record<string, AttributeValue>;
  /** 'worker' (default): a worker thread does everything after write(). 'inline': same pipeline on this thread. */
  mode?: 'worker' | 'inline';
  /** Spool directory; false: no spool (memory only). Default `<tmpdir>/jobscope-spool/<service.name>/<slot>`. */
  spoolDir?: string | false;
  /** Bound of the spool files, bytes. Default 256 MiB. At the bound new batches are dropped and counted. */
  maxSpoolBytes?: number;
  /** Bound of the batches waiting in memory (line bytes). Default 8 MiB; beyond it batches go to the spool. */
  maxQueueBytes?: number;
  /** Shared ring between write() and the worker thread. Default 4 MiB. */
  ringBytes?: number;
  /** Lines that did not fit in the ring wait here (bounded) before being dropped and counted. Default 1 MiB. */
  overflowBytes?: number;
  /** A batch is cut at this many records (default 4096), bytes (default 1 MiB) or age (default 1000 ms). Large batches: an HTTP request and a gzip stream cost about half a millisecond of CPU each, whatever their size. */
  maxBatchRecords?: number;
  maxBatchBytes?: number;
  maxBatchDelayMs?: number;
  /** Lines longer than this (in characters) are dropped and counted. Default 256 Ki. */
  maxLineLength?: number;
  /** Per HTTP request. Default 10 s. */
  timeoutMs?: number;
  /** Exponential backoff with full jitter within maxElapsedMs per batch (defaults 100 ms, 5 s, 15 s). */
  retry?: { initialDelayMs?: number; maxDelayMs?: number; maxElapsedMs?: number };
  /** Opens after `failures` consecutive failed retry cycles (default 2); half-open after halfOpenAfterMs (default 5 s). */
  breaker?: { failures?: number; halfOpenAfterMs?: number };
  /** Default deadline of flush() and close(). Default 5 s. */
  flushTimeoutMs?: number;
  /** Worker mode: on process 'exit', block while the worker spools what is still in memory (default true; at most exitTimeoutMs, default 2 s; typically tens of ms). */
  exitHook?: boolean;
  exitTimeoutMs?: number;
  /** gzip level 1-9, or 0 for none. Default 1: measured ~0.3 µs/record cheaper than 6 for a payload ~12% larger (still ~40× smaller than the lines). */
  gzipLevel?: number;
  /**
   * Who writes the OTLP protobuf of log batches: 'jobscope' (default) writes
   * it in one pass from the JSON lines (proto/logs.ts), byte for byte what
   * 'official', the OpenTelemetry ProtobufLogsSerializer, writes for the same
   * records (tested), at about half the CPU.
   */
  encoder?: 'jobscope' | 'official';
  /** Environment to read OTEL_* from (tests). Default process.env. */
  env?: Record<string, string | undefined>;
}

export interface ResolvedConfig {
  endpoint: string;
  headers: Record<string, string>;
  resource: Record<string, AttributeValue>;
  mode: 'worker' | 'inline';
  spoolDir: string | null;
  /** The default spool dir is a parent of numbered slots, one per live process. */
  spoolSlots: boolean;
  maxSpoolBytes: number;
  maxQueueBytes: number;
  ringBytes: number;
  overflowBytes: number;
  maxBatchRecords: number;
  maxBatchBytes: number;
  maxBatchDelayMs: number;
  maxLineLength: number;
  timeoutMs: number;
  retry: { initialDelayMs: number; maxDelayMs: number; maxElapsedMs: number };
  breaker: { failures: number; halfOpenAfterMs: number };
  flushTimeoutMs: number;
  exitHook: boolean;
  exitTimeoutMs: number;
  gzipLevel: number;
  encoder: 'jobscope' | 'official';
  /** Set for the traces exporter only (absent: logs). */
  signal?: Signal;
}

function int(name: string, v: unknown, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw configError(`${name} must be an integer in [${min}, ${max}], got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  }
  return v;
}

function endpointOf(o: ExporterOptions, env: Record<string, string | undefined>, signal: Signal): string {
  const fallback = signal === 'traces' ? DEFAULT_TRACES_ENDPOINT : DEFAULT_ENDPOINT;
  const raw = o.endpoint ?? endpointFromEnv(env, signal) ?? fallback;
  const source = o.endpoint !== undefined ? 'endpoint' : endpointFromEnv(env, signal) ? `OTEL_EXPORTER_OTLP_(${signal.toUpperCase()}_)ENDPOINT` : 'endpoint';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw configError(`${source} must be an absolute http(s) URL such as ${fallback}, got '${raw}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw configError(`${source} must use http or https, got '${u.protocol}'`);
  return u.toString();
}

function resourceOf(o: ExporterOptions, env: Record<string, string | undefined>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(defaultResource().attributes)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  if (env.OTEL_RESOURCE_ATTRIBUTES?.trim()) Object.assign(out, parseHeaderListLoose(env.OTEL_RESOURCE_ATTRIBUTES));
  if (env.OTEL_SERVICE_NAME?.trim()) out['service.name'] = env.OTEL_SERVICE_NAME.trim();
  if (o.resource !== undefined) {
    if (typeof o.resource !== 'object' || o.resource === null) throw configError('resource must be an object of attributes');
    for (const [k, v] of Object.entries(o.resource)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw configError(`resource.${k} must be a string, number or boolean, got ${v === null ? 'null' : typeof v}`);
      }
      out[k] = v;
    }
  }
  if (o.serviceName !== undefined) {
    if (typeof o.serviceName !== 'string' || o.serviceName === '') throw configError('serviceName must be a non-empty string');
    out['service.name'] = o.serviceName;
  }
  return out;
}

/** OTEL_RESOURCE_ATTRIBUTES keys are not header names: same `k=v,...` syntax, any key. */
function parseHeaderListLoose(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw configError(`OTEL_RESOURCE_ATTRIBUTES: expected key=value, got '${part}'`);
    try {
      out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw configError(`OTEL_RESOURCE_ATTRIBUTES: '${part}' is not valid percent-encoding`);
    }
  }
  return out;
}

function headersOf(o: ExporterOptions, env: Record<string, string | undefined>, signal: Signal): Record<string, string> {
  const out = headersFromEnv(env, signal);
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null) throw configError('headers must be an object of strings');
    const text = Object.entries(o.headers).map(([k, v]) => {
      if (typeof v !== 'string') throw configError(`headers.${k} must be a string, got ${typeof v}`);
      return `${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
    }).join(',');
    Object.assign(out, parseHeaderList(text, 'headers'));
  }
  return out;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'service';
}

export function resolveOptions(o: ExporterOptions = {}, signal: Signal = 'logs'): ResolvedConfig {
  if (typeof o !== 'object' || o === null) throw configError('options must be an object');
  const env = o.env ?? process.env;
  const mode = o.mode ?? 'worker';
  if (mode !== 'worker' && mode !== 'inline') throw configError(`mode must be 'worker' or 'inline', got '${String(mode)}'`);
  const resource = resourceOf(o, env);
  const maxBatchBytes = int('maxBatchBytes', o.maxBatchBytes, MiB, 4 * KiB, 64 * MiB);
  const maxSpoolBytes = int('maxSpoolBytes', o.maxSpoolBytes, 256 * MiB, 64 * KiB, Number.MAX_SAFE_INTEGER);
  if (maxSpoolBytes < 4 * maxBatchBytes) throw configError(`maxSpoolBytes (${maxSpoolBytes}) must be at least 4 × maxBatchBytes (${4 * maxBatchBytes})`);
  const ringBytes = int('ringBytes', o.ringBytes, 4 * MiB, 64 * KiB, 1024 * MiB);
  if (ringBytes % 4 !== 0) throw configError(`ringBytes must be a multiple of 4, got ${ringBytes}`);
  // A line of n characters takes at most 3n bytes: half the ring must hold the largest.
  const lineCap = Math.floor((ringBytes / 2 - 8) / 3);
  const maxLineLength = int('maxLineLength', o.maxLineLength, Math.min(256 * KiB, lineCap), 256, Math.min(maxBatchBytes, lineCap));
  const retry = o.retry ?? {};
  const breaker = o.breaker ?? {};
  let spoolDir: string | null;
  if (o.spoolDir === false) spoolDir = null;
  else if (o.spoolDir === undefined) {
    spoolDir = join(tmpdir(), 'jobscope-spool', safeName(String(resource['service.name'])));
    if (signal !== 'logs') spoolDir = join(spoolDir, signal); // never a logs slot (those are numbers)
  }
  else if (typeof o.spoolDir === 'string' && o.spoolDir !== '') spoolDir = o.spoolDir;
  else throw configError('spoolDir must be a non-empty path or false');
  const c: ResolvedConfig = {
    endpoint: endpointOf(o, env, signal),
    headers: headersOf(o, env, signal),
    resource,
    mode,
    spoolDir,
    spoolSlots: o.spoolDir === undefined,
    maxSpoolBytes,
    maxQueueBytes: int('maxQueueBytes', o.maxQueueBytes, 8 * MiB, maxBatchBytes, 4096 * MiB),
    ringBytes,
    overflowBytes: int('overflowBytes', o.overflowBytes, MiB, 0, 1024 * MiB),
    maxBatchRecords: int('maxBatchRecords', o.maxBatchRecords, 4096, 1, 100_000),
    maxBatchBytes,
    maxBatchDelayMs: int('maxBatchDelayMs', o.maxBatchDelayMs, 1000, 1, 60_000),
    maxLineLength,
    timeoutMs: int('timeoutMs', o.timeoutMs, 10_000, 10, 600_000),
    retry: {
      initialDelayMs: int('retry.initialDelayMs', retry.initialDelayMs, 100, 1, 60_000),
      maxDelayMs: int('retry.maxDelayMs', retry.maxDelayMs, 5_000, 1, 600_000),
      maxElapsedMs: int('retry.maxElapsedMs', retry.maxElapsedMs, 15_000, 0, 3_600_000),
    },
    breaker: {
      failures: int('breaker.failures', breaker.failures, 2, 1, 1000),
      halfOpenAfterMs: int('breaker.halfOpenAfterMs', breaker.halfOpenAfterMs, 5_000, 1, 3_600_000),
    },
    flushTimeoutMs: int('flushTimeoutMs', o.flushTimeoutMs, 5_000, 0, 3_600_000),
    exitHook: o.exitHook ?? true,
    exitTimeoutMs: int('exitTimeoutMs', o.exitTimeoutMs, 2_000, 0, 60_000),
    gzipLevel: int('gzipLevel', o.gzipLevel, 1, 0, 9),
    encoder: o.encoder ?? 'jobscope',
  };
  if (signal !== 'logs') c.signal = signal;
  if (c.retry.maxDelayMs < c.retry.initialDelayMs) throw configError(`retry.maxDelayMs (${c.retry.maxDelayMs}) must be >= retry.initialDelayMs (${c.retry.initialDelayMs})`);
  if (typeof c.exitHook !== 'boolean') throw configError('exitHook must be a boolean');
  if (c.encoder !== 'jobscope' && c.encoder !== 'official') throw configError(`encoder must be 'jobscope' or 'official', got ${String(c.encoder)}`);
  return c;
}

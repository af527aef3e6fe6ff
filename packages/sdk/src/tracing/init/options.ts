/**
 * Options of initTracing: the exporter's (export/options.ts, resolved for
 * the traces signal: OTEL_EXPORTER_OTLP_TRACES_* over OTEL_EXPORTER_OTLP_*,
 * `/v1/traces`, the default spool's `traces` subfolder), the sampling
 * options of the contract, and how the SDK is registered. Validated once:
 * initTracing is the only place tracing throws.
 */
import { JobscopeError } from '@jobscope/core';
import type { SpanLimits } from '@opentelemetry/sdk-trace-base';
import { resolveOptions, type ExporterOptions, type ResolvedConfig } from '../../export/options.js';
import { resolveSampling, tracingConfigError, type ResolvedSampling, type SamplingOptions } from '../sampling/options.js';

/** Exporter options that apply to spans (`records` are spans here). */
export type TracingExportOptions = Pick<ExporterOptions,
  'endpoint' | 'headers' | 'serviceName' | 'resource' | 'spoolDir' | 'maxSpoolBytes' | 'maxQueueBytes' | 'overflowBytes'
  | 'maxBatchRecords' | 'maxBatchBytes' | 'maxBatchDelayMs' | 'timeoutMs' | 'retry' | 'breaker' | 'flushTimeoutMs' | 'gzipLevel' | 'env'>;

export interface TracingOptions extends TracingExportOptions {
  /**
   * OTLP/HTTP traces URL. Default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (as is),
   * else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else http://localhost:4318/v1/traces.
   */
  endpoint?: string;
  /**
   * Default true: the provider becomes the global tracer provider, with an
   * AsyncLocalStorageContextManager and the W3C trace-context + baggage
   * propagator (so ConnectorLogger records written inside a span carry its
   * trace_id/span_id). false: nothing global is touched (several Tracing
   * instances in one process); use `tracing.tracer`.
   */
  registerGlobal?: boolean;
  /**
   * Install the AsyncLocalStorageContextManager globally if none is yet
   * (default: registerGlobal). With registerGlobal false it is left in place
   * at shutdown (other instances may rely on it).
   */
  contextManager?: boolean;
  /** Job-aware sampling (see the contract). */
  sampling?: SamplingOptions;
  /** Name of `tracing.tracer`. Default '@jobscope/sdk'. */
  tracerName?: string;
  /** OpenTelemetry span limits (attributes, events, links per span). */
  spanLimits?: SpanLimits;
}

export interface ResolvedTracing {
  export: ResolvedConfig;
  sampling: ResolvedSampling;
  registerGlobal: boolean;
  contextManager: boolean;
  tracerName: string;
  spanLimits: SpanLimits | undefined;
}

const EXPORT_KEYS: readonly (keyof TracingExportOptions)[] = [
  'endpoint', 'headers', 'serviceName', 'resource', 'spoolDir', 'maxSpoolBytes', 'maxQueueBytes', 'overflowBytes',
  'maxBatchRecords', 'maxBatchBytes', 'maxBatchDelayMs', 'timeoutMs', 'retry', 'breaker', 'flushTimeoutMs', 'gzipLevel', 'env',
];

/** Spans per batch by default: the SDK BatchSpanProcessor's maxExportBatchSize (encoding 512 spans takes ~2 ms). */
export const DEFAULT_BATCH_SPANS = 512;
/** Spans ending before the pipeline's modules are loaded (the first tens of ms) wait within this bound (estimated bytes). */
export const DEFAULT_EARLY_BYTES = 8 * 1024 * 1024;

export function resolveTracing(o: TracingOptions = {}): ResolvedTracing {
  if (typeof o !== 'object' || o === null) throw tracingConfigError('options must be an object');
  const picked: ExporterOptions = { mode: 'inline', maxBatchRecords: DEFAULT_BATCH_SPANS, overflowBytes: DEFAULT_EARLY_BYTES };
  for (const k of EXPORT_KEYS) if (o[k] !== undefined) (picked as Record<string, unknown>)[k] = o[k];
  let c: ResolvedConfig;
  try {
    c = resolveOptions(picked, 'traces');
  } catch (e) {
    if (e instanceof JobscopeError) throw tracingConfigError(e.message.replace(/^exporter: /, ''));
    throw e;
  }
  const registerGlobal = o.registerGlobal ?? true;
  if (typeof registerGlobal !== 'boolean') throw tracingConfigError('registerGlobal must be a boolean');
  const contextManager = o.contextManager ?? registerGlobal;
  if (typeof contextManager !== 'boolean') throw tracingConfigError('contextManager must be a boolean');
  const tracerName = o.tracerName ?? '@jobscope/sdk';
  if (typeof tracerName !== 'string' || tracerName === '') throw tracingConfigError('tracerName must be a non-empty string');
  return { export: c, sampling: resolveSampling(o.sampling), registerGlobal, contextManager, tracerName, spanLimits: o.spanLimits };
}

/**
 * initTracing: the official OpenTelemetry JS SDK (BasicTracerProvider of
 * @opentelemetry/sdk-trace-base) with
 * - the resource of the options and OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES
 *   (export/options.ts resolves it, as for logs);
 * - JobAwareSampler + JobSamplingProcessor (sampling/): head ratio by trace
 *   id, the other spans held until their job's outcome decides;
 * - JobscopeSpanExporter (exporter.ts): the exporter core's reliability to
 *   /v1/traces;
 * - registerGlobal (default true): global tracer provider,
 *   AsyncLocalStorageContextManager, W3C trace-context + baggage propagator.
 *
 * The SDK packages are CommonJS-only; they are required on the first
 * initTracing (the same module instances an `import` would give), so that
 * importing @jobscope/sdk for logging alone does not load them.
 */
import { createRequire } from 'node:module';
import { context, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as Core from '@opentelemetry/core';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { JobOutcome, TraceDecision, Tracing, TracingStatsDetail } from '../contract.js';
import { JobAwareSampler } from '../sampling/ratio.js';
import { JobSamplingProcessor } from '../sampling/processor.js';
import { JobscopeSpanExporter } from './exporter.js';
import { resolveTracing, type TracingOptions } from './options.js';
import type { Send } from '../../export/layers.js';

const require = createRequire(import.meta.url);

/** The Tracing initTracing returns, with the SDK objects behind it. */
export interface JobscopeTracing extends Tracing {
  readonly provider: BasicTracerProvider;
  /** W3C trace-context + baggage (the global one too when registerGlobal). */
  readonly propagator: TextMapPropagator;
  /** The reliable span exporter (also usable alone, e.g. behind the SDK's BatchSpanProcessor). */
  readonly exporter: JobscopeSpanExporter;
  /** The resolved resource attributes (service.name …). */
  readonly resource: Readonly<Record<string, string | number | boolean>>;
  stats(): TracingStatsDetail;
}

/** Internal: `post` replaces the HTTP client (tests). */
export interface TracingInternals {
  post?: Send;
}

/**
 * Starts tracing. Throws a JobscopeError (code JS_CONFIG) with a precise
 * message on invalid options or OTEL_* variables; never throws after that
 * (spans, jobEnded, decisions from the channel, flush, shutdown).
 */
export function initTracing(options: TracingOptions = {}, internals: TracingInternals = {}): JobscopeTracing {
  const r = resolveTracing(options);
  const sdk = require('@opentelemetry/sdk-trace-base') as typeof SdkTraceBase;
  const core = require('@opentelemetry/core') as typeof Core;
  const resources = require('@opentelemetry/resources') as typeof Resources;

  const exporter = new JobscopeSpanExporter(r.export, internals.post);
  const processor = new JobSamplingProcessor(exporter, r.sampling, r.export.flushTimeoutMs);
  const provider = new sdk.BasicTracerProvider({
    resource: resources.resourceFromAttributes(r.export.resource),
    sampler: new JobAwareSampler(r.sampling.ratio, r.sampling.tail),
    spanProcessors: [processor],
    spanLimits: r.spanLimits,
  });
  const propagator: TextMapPropagator = new core.CompositePropagator({
    propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
  });

  const set = { provider: false, context: false, propagator: false };
  if (r.contextManager) {
    const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof ContextAsyncHooks;
    const manager = new AsyncLocalStorageContextManager();
    set.context = context.setGlobalContextManager(manager.enable());
    if (!set.context) manager.disable(); // one was there already: it serves
  }
  if (r.registerGlobal) {
    set.provider = trace.setGlobalTracerProvider(provider);
    set.propagator = propagation.setGlobalPropagator(propagator);
  }

  const tracer = provider.getTracer(r.tracerName, '0.1.0');
  let shutting: Promise<void> | null = null;

  return {
    tracer,
    provider,
    propagator,
    exporter,
    resource: Object.freeze({ ...r.export.resource }),
    jobEnded(outcome: JobOutcome): TraceDecision {
      return processor.jobEnded(outcome);
    },
    stats(): TracingStatsDetail {
      const k = processor.counts;
      const e = exporter.stats();
      return {
        spansStarted: k.spansStarted,
        spansExported: k.spansExported,
        spansHeld: processor.held,
        spansKeptByDecision: k.spansKeptByDecision,
        spansDiscarded: k.spansDiscarded,
        spansEvicted: k.spansEvictedFull + k.spansEvictedExpired + k.spansEvictedShutdown,
        tracesKept: k.tracesKept,
        tracesDiscarded: k.tracesDiscarded,
        spansDropped: k.spansDropped,
        spansEvictedFull: k.spansEvictedFull,
        spansEvictedExpired: k.spansEvictedExpired,
        spansEvictedShutdown: k.spansEvictedShutdown,
        tracesKeptByReason: { ...k.tracesKeptByReason },
        decisionsPublished: k.decisionsPublished,
        decisionsReceived: k.decisionsReceived,
        lastError: processor.lastError ?? e.lastError,
        export: e,
      };
    },
    flush(timeoutMs?: number): Promise<void> {
      return exporter.flush(timeoutMs);
    },
    shutdown(timeoutMs: number = r.export.flushTimeoutMs): Promise<void> {
      shutting ??= (async () => {
        try {
          await processor.close(timeoutMs);
          await provider.shutdown();
        } catch {
          // shutdown never throws; the exporter's stats keep the last error
        } finally {
          // Give back what we registered, so that a later initTracing can register.
          if (set.provider) trace.disable();
          if (set.propagator) propagation.disable();
          if (set.context && r.registerGlobal) context.disable();
        }
      })();
      return shutting;
    },
  };
}

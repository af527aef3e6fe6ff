/**
 * Tracing (track 3) — the contract between its parts, written first so the
 * pieces agree. One W3C trace per job, carried through every process the job
 * touches: API (submit) → queue (claim) → worker (process, one span per
 * attempt) → connector calls → webhook.
 *
 * Parts (each its own folder under tracing/):
 * - init/        initTracing(): the official OpenTelemetry JS SDK
 *                (BasicTracerProvider from @opentelemetry/sdk-trace-base,
 *                AsyncLocalStorage context manager, W3C propagator), spans
 *                exported through the exporter core's reliability (batch ids,
 *                retry/backoff/breaker, disk spool) to /v1/traces.
 * - sampling/    head ratio by trace id (same answer in every process) +
 *                holding of not-head-sampled spans until the job's outcome
 *                is known; decisions shared between processes through a
 *                DecisionChannel.
 * - propagation/ injectJobContext / extractJobContext on job objects.
 * - spans/       helpers that wrap the submit, claim, process, connector
 *                call and webhook steps in spans with OpenTelemetry's
 *                semantic conventions.
 */
import type { Context, Link, SpanContext, Tracer } from '@opentelemetry/api';
import type { ExporterStatsDetail } from '../export/stats.js';

/** Where the trace context of a job travels: any object with these two string fields (a Redis hash, a payload). */
export interface JobCarrier {
  traceparent?: string;
  tracestate?: string;
  [key: string]: unknown;
}

/** The queue the messaging spans name (messaging.destination.name). */
export const DEFAULT_QUEUE_NAME = 'jobs:pending';
export const DEFAULT_MESSAGING_SYSTEM = 'redis';

/** What a job's end tells the sampler. */
export interface JobOutcome {
  traceId: string;
  jobId: string;
  /** completed | failed | timeout | cancelled | retried | unworkable … */
  status: string;
  serviceType?: string;
  model?: string;
  durationMs?: number;
  /** Attempts made (1 = first). An attempt > 1 means a retry happened. */
  attempt?: number;
}

/** A keep/drop decision about one trace, shared by every process that holds spans of it. */
export interface TraceDecision {
  traceId: string;
  keep: boolean;
  /** Why: 'failed', 'timeout', 'retried', 'slow', 'head' or 'normal'. */
  reason: string;
}

/**
 * Carries decisions between processes (the sim implements it on Redis
 * pub/sub; MemoryDecisionChannel serves processes in one Node process and
 * tests). publish() never throws; subscribe() returns an unsubscribe.
 */
export interface DecisionChannel {
  publish(decision: TraceDecision): void;
  subscribe(cb: (decision: TraceDecision) => void): () => void;
}

export interface TracingSamplingOptions {
  /** Fraction of traces kept whatever happens (by trace id, so every process agrees). Default 0.1. */
  ratio?: number;
  /** Keep the whole trace of failed / timed out / retried jobs. Default true. */
  keepErrors?: boolean;
  /**
   * A job is "slow" when its duration exceeds slowFactor × the running p95
   * of the last `slowWindow` jobs of the same service_type+model (after at
   * least `slowMinSamples`), or slowAbsoluteMs when set. Defaults 1.5, 500, 20.
   */
  slowFactor?: number;
  slowWindow?: number;
  slowMinSamples?: number;
  slowAbsoluteMs?: number;
  /** Spans held in memory waiting for a decision, across traces. Default 20,000; beyond it the oldest trace's spans are dropped (counted). */
  maxHeldSpans?: number;
  /** A held trace with no decision after this long is dropped (counted). Default 10 min. */
  maxHoldMs?: number;
  /** Shares decisions with other processes. Default: this process only. */
  channel?: DecisionChannel;
}

export interface TracingStats {
  spansStarted: number;
  spansExported: number;
  /** Not head-sampled spans currently held. */
  spansHeld: number;
  /** Held spans released because their trace was kept. */
  spansKeptByDecision: number;
  /** Held spans discarded: trace decided normal. */
  spansDiscarded: number;
  /** Held spans dropped at maxHeldSpans or maxHoldMs. */
  spansEvicted: number;
  tracesKept: number;
  tracesDiscarded: number;
}

/**
 * What stats() of initTracing's Tracing returns: the contract's counters,
 * their detail, and the span exporter's delivery counters (`export`: sent,
 * retried, spooled, replayed, dropped… as for logs). Added by the core
 * (init/, sampling/); the fields above are unchanged.
 */
export interface TracingStatsDetail extends TracingStats {
  /** Spans to export that the exporter could not take (its backlog past maxQueueBytes, or after shutdown). */
  spansDropped: number;
  /** spansEvicted, by cause: maxHeldSpans reached (the oldest trace's), maxHoldMs passed, shutdown. */
  spansEvictedFull: number;
  spansEvictedExpired: number;
  spansEvictedShutdown: number;
  /** tracesKept by TraceDecision.reason. */
  tracesKeptByReason: Record<string, number>;
  /** Decisions this instance published on / received from the DecisionChannel (its own echo included). */
  decisionsPublished: number;
  decisionsReceived: number;
  /** The last internal error (channel, exporter), for diagnosis. */
  lastError: string | null;
  export: ExporterStatsDetail;
}

/** What initTracing returns. */
export interface Tracing {
  readonly tracer: Tracer;
  /** The job ended: decides (and publishes) keep or drop for its trace. Returns the decision. */
  jobEnded(outcome: JobOutcome): TraceDecision;
  stats(): TracingStats;
  /** Exports what is ready (kept or head-sampled spans), to a deadline. */
  flush(timeoutMs?: number): Promise<void>;
  /** Flush, spool the rest, stop. Held undecided spans are dropped and counted. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Options for the attempt span of a retried job: the previous attempt, linked. */
export interface AttemptOptions {
  attempt: number;
  queueWaitMs?: number;
  /** Span context of the previous attempt's process span (see JobCarrier field `last_attempt`), linked. */
  previousAttempt?: SpanContext;
  links?: Link[];
  parent?: Context;
}

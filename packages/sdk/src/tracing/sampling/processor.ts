/**
 * JobSamplingProcessor: the SpanProcessor behind job-aware sampling.
 *
 * - A head-sampled span (sampled flag set by JobAwareSampler) goes to the
 *   exporter at once.
 * - Any other recorded span is held in memory, per trace id, until its
 *   trace is decided: by jobEnded() here, or by a decision another process
 *   published on the DecisionChannel. Keep: the held spans are exported
 *   (with the sampled flag set), and later spans of the trace go straight
 *   out; drop: they are discarded, later ones too.
 * - Recent decisions are remembered (LRU, maxDecisions) so a span ending
 *   after its trace's decision (the webhook's, typically) follows it. A
 *   kept trace stays kept: a later drop decision does not undo it.
 * - Bounds: at most maxHeldSpans held spans (past it the oldest trace's
 *   spans are evicted, counted), each trace at most maxHoldMs (then
 *   expired, counted). At shutdown what is still held is dropped, counted.
 *
 * Never throws into the caller (onEnd, a channel callback, jobEnded).
 */
import { TraceFlags, type Context, type SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { JobOutcome, TraceDecision } from '../contract.js';
import { Decider, validTraceId } from './decide.js';
import type { ResolvedSampling } from './options.js';
import { headSampled } from './ratio.js';

/** Where spans to export go: the reliable exporter (or anything that takes spans). */
export interface SpanSink {
  /** Takes a finished span; false when it could not (the sink counts why). Never throws. */
  offer(span: ReadableSpan): boolean;
  flush(timeoutMs?: number): Promise<void>;
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface SamplingCounts {
  spansStarted: number;
  spansExported: number;
  spansDropped: number;
  spansKeptByDecision: number;
  spansDiscarded: number;
  spansEvictedFull: number;
  spansEvictedExpired: number;
  spansEvictedShutdown: number;
  tracesKept: number;
  tracesDiscarded: number;
  tracesKeptByReason: Record<string, number>;
  decisionsPublished: number;
  decisionsReceived: number;
}

interface HeldTrace {
  spans: ReadableSpan[];
  since: number;
}

/** The span as the exporter must see it once its trace is kept: sampled flag set, everything else as recorded. */
export function asSampled(s: ReadableSpan): ReadableSpan {
  const sc = s.spanContext();
  const ctx: SpanContext = { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags | TraceFlags.SAMPLED, isRemote: sc.isRemote, traceState: sc.traceState };
  return {
    name: s.name,
    kind: s.kind,
    spanContext: () => ctx,
    parentSpanContext: s.parentSpanContext,
    startTime: s.startTime,
    endTime: s.endTime,
    status: s.status,
    attributes: s.attributes,
    links: s.links,
    events: s.events,
    duration: s.duration,
    ended: s.ended,
    resource: s.resource,
    instrumentationScope: s.instrumentationScope,
    droppedAttributesCount: s.droppedAttributesCount,
    droppedEventsCount: s.droppedEventsCount,
    droppedLinksCount: s.droppedLinksCount,
  };
}

export class JobSamplingProcessor implements SpanProcessor {
  readonly counts: SamplingCounts = {
    spansStarted: 0, spansExported: 0, spansDropped: 0, spansKeptByDecision: 0, spansDiscarded: 0,
    spansEvictedFull: 0, spansEvictedExpired: 0, spansEvictedShutdown: 0, tracesKept: 0, tracesDiscarded: 0,
    tracesKeptByReason: {}, decisionsPublished: 0, decisionsReceived: 0,
  };
  readonly #sink: SpanSink;
  readonly #cfg: ResolvedSampling;
  readonly #decider: Decider;
  readonly #held = new Map<string, HeldTrace>();
  readonly #decisions = new Map<string, TraceDecision>();
  readonly #defaultTimeoutMs: number;
  #heldCount = 0;
  #timer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  #closing: Promise<void> | null = null;
  #lastError: string | null = null;

  constructor(sink: SpanSink, cfg: ResolvedSampling, defaultTimeoutMs = 5000) {
    this.#sink = sink;
    this.#cfg = cfg;
    this.#decider = new Decider(cfg);
    this.#defaultTimeoutMs = defaultTimeoutMs;
    if (cfg.channel) {
      try {
        this.#unsubscribe = cfg.channel.subscribe((d) => this.#received(d));
      } catch (e) {
        this.#lastError = `decision channel subscribe failed: ${(e as Error)?.message ?? String(e)}`;
      }
    }
  }

  get held(): number {
    return this.#heldCount;
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  onStart(_span: Span, _parentContext: Context): void {
    this.counts.spansStarted++;
  }

  onEnd(span: ReadableSpan): void {
    try {
      const sc = span.spanContext();
      if ((sc.traceFlags & TraceFlags.SAMPLED) !== 0) {
        this.#export(span);
        return;
      }
      const d = this.#decisions.get(sc.traceId);
      if (d !== undefined) {
        this.#decisions.delete(sc.traceId);
        this.#decisions.set(sc.traceId, d);
        if (d.keep) {
          this.counts.spansKeptByDecision++;
          this.#export(asSampled(span));
        } else {
          this.counts.spansDiscarded++;
        }
        return;
      }
      if (this.#closing) {
        this.counts.spansEvictedShutdown++;
        return;
      }
      this.#hold(sc.traceId, span);
    } catch (e) {
      this.#lastError = `onEnd: ${(e as Error)?.message ?? String(e)}`;
    }
  }

  /** Decides the job's trace, applies the decision here and publishes it to the others. Never throws. */
  jobEnded(outcome: JobOutcome): TraceDecision {
    let decision: TraceDecision;
    try {
      decision = this.#decider.decide(outcome);
    } catch (e) {
      this.#lastError = `jobEnded: ${(e as Error)?.message ?? String(e)}`;
      return { traceId: String(outcome?.traceId ?? ''), keep: false, reason: 'normal' };
    }
    const prior = this.#decisions.get(decision.traceId);
    if (prior?.keep && !decision.keep) return prior; // kept stays kept
    if (decision.keep) {
      this.counts.tracesKept++;
      this.counts.tracesKeptByReason[decision.reason] = (this.counts.tracesKeptByReason[decision.reason] ?? 0) + 1;
    } else {
      this.counts.tracesDiscarded++;
    }
    // A head-sampled trace is exported by every process already: nothing is held anywhere, nothing to publish.
    if (!validTraceId(decision.traceId) || headSampled(decision.traceId, this.#cfg.ratio)) return decision;
    this.apply(decision);
    const ch = this.#cfg.channel;
    if (ch) {
      try {
        ch.publish(decision);
        this.counts.decisionsPublished++;
      } catch (e) {
        this.#lastError = `decision channel publish failed: ${(e as Error)?.message ?? String(e)}`;
      }
    }
    return decision;
  }

  /** Applies a decision (idempotent): releases or discards what is held for the trace and remembers it. */
  apply(d: TraceDecision): void {
    const prior = this.#decisions.get(d.traceId);
    if (prior?.keep && !d.keep) return;
    this.#remember(d);
    const t = this.#held.get(d.traceId);
    if (!t) return;
    this.#held.delete(d.traceId);
    this.#heldCount -= t.spans.length;
    if (d.keep) {
      this.counts.spansKeptByDecision += t.spans.length;
      for (const s of t.spans) this.#export(asSampled(s));
    } else {
      this.counts.spansDiscarded += t.spans.length;
    }
    if (this.#heldCount === 0) this.#stopTimer();
  }

  forceFlush(): Promise<void> {
    return this.#sink.flush();
  }

  /** Drops what is held (counted), then flushes and stops the exporter by the deadline. Idempotent. */
  shutdown(): Promise<void> {
    return this.close(this.#defaultTimeoutMs);
  }

  close(timeoutMs: number): Promise<void> {
    this.#closing ??= (async () => {
      try {
        this.#unsubscribe?.();
      } catch {
        // the channel's problem
      }
      this.#unsubscribe = null;
      this.#stopTimer();
      this.counts.spansEvictedShutdown += this.#heldCount;
      this.#held.clear();
      this.#heldCount = 0;
      await this.#sink.shutdown(timeoutMs);
    })();
    return this.#closing;
  }

  #received(d: TraceDecision): void {
    try {
      if (typeof d !== 'object' || d === null || !validTraceId(d.traceId) || typeof d.keep !== 'boolean') return;
      this.counts.decisionsReceived++;
      this.apply(d);
    } catch (e) {
      this.#lastError = `decision: ${(e as Error)?.message ?? String(e)}`;
    }
  }

  #export(span: ReadableSpan): void {
    if (this.#sink.offer(span)) this.counts.spansExported++;
    else this.counts.spansDropped++;
  }

  #remember(d: TraceDecision): void {
    const max = this.#cfg.maxDecisions;
    if (max === 0) return;
    this.#decisions.delete(d.traceId);
    this.#decisions.set(d.traceId, d);
    if (this.#decisions.size > max) this.#decisions.delete(this.#decisions.keys().next().value as string);
  }

  #hold(traceId: string, span: ReadableSpan): void {
    const t = this.#held.get(traceId);
    if (t) t.spans.push(span);
    else this.#held.set(traceId, { spans: [span], since: Date.now() });
    this.#heldCount++;
    while (this.#heldCount > this.#cfg.maxHeldSpans) {
      const first = this.#held.entries().next();
      if (first.done) break;
      const [id, oldest] = first.value;
      this.#held.delete(id);
      this.#heldCount -= oldest.spans.length;
      this.counts.spansEvictedFull += oldest.spans.length;
    }
    if (this.#heldCount > 0 && !this.#timer) {
      const period = Math.max(10, Math.min(1000, Math.floor(this.#cfg.maxHoldMs / 4)));
      this.#timer = setInterval(() => this.#expire(), period);
      this.#timer.unref();
    }
  }

  /** Drops traces held longer than maxHoldMs (insertion order is age order: stops at the first young one). */
  #expire(): void {
    const limit = Date.now() - this.#cfg.maxHoldMs;
    for (const [id, t] of this.#held) {
      if (t.since > limit) break;
      this.#held.delete(id);
      this.#heldCount -= t.spans.length;
      this.counts.spansEvictedExpired += t.spans.length;
    }
    if (this.#heldCount === 0) this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}

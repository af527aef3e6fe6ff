/**
 * What a job's end decides about its trace: keep when it failed, timed out,
 * was retried (attempt > 1, or status `retried`) or was unusually slow
 * (slow.ts); else keep only when head-sampled; else drop.
 */
import type { JobOutcome, TraceDecision } from '../contract.js';
import type { ResolvedSampling } from './options.js';
import { headSampled } from './ratio.js';
import { SlowDetector } from './slow.js';

const FAILED = new Set(['failed', 'failure', 'error', 'unworkable']);
const TIMEOUT = new Set(['timeout', 'timed_out', 'timedout']);
const COMPLETED = new Set(['completed', 'complete', 'succeeded', 'success', 'ok']);

const TRACE_ID = /^[0-9a-f]{32}$/;

/** A W3C trace id: 32 lowercase hex digits, not all zero. */
export function validTraceId(id: unknown): id is string {
  return typeof id === 'string' && TRACE_ID.test(id) && id !== '00000000000000000000000000000000';
}

export class Decider {
  readonly slow: SlowDetector;
  readonly #cfg: ResolvedSampling;

  constructor(cfg: ResolvedSampling) {
    this.#cfg = cfg;
    this.slow = new SlowDetector(cfg.slowFactor, cfg.slowWindow, cfg.slowMinSamples, cfg.slowAbsoluteMs);
  }

  /** Decides, and feeds a completed job's duration into its key's window (after deciding). */
  decide(o: JobOutcome): TraceDecision {
    const status = typeof o.status === 'string' ? o.status.toLowerCase() : '';
    const d = typeof o.durationMs === 'number' && Number.isFinite(o.durationMs) && o.durationMs >= 0 ? o.durationMs : undefined;
    const key = SlowDetector.key(o.serviceType, o.model);
    let reason: string | null = null;
    if (this.#cfg.keepErrors) {
      if (TIMEOUT.has(status)) reason = 'timeout';
      else if (FAILED.has(status)) reason = 'failed';
      else if (status === 'retried' || (typeof o.attempt === 'number' && o.attempt > 1)) reason = 'retried';
    }
    if (reason === null && d !== undefined && this.slow.isSlow(key, d)) reason = 'slow';
    if (d !== undefined && COMPLETED.has(status)) this.slow.add(key, d);
    if (reason === null && headSampled(String(o.traceId), this.#cfg.ratio)) reason = 'head';
    return { traceId: String(o.traceId ?? ''), keep: reason !== null, reason: reason ?? 'normal' };
  }
}

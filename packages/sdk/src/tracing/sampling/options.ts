/**
 * Sampling options (TracingSamplingOptions of the contract): defaults and
 * validation, once, at initTracing (the only place tracing throws).
 */
import { JobscopeError } from '@jobscope/core';
import type { DecisionChannel, TracingSamplingOptions } from '../contract.js';

export interface ResolvedSampling {
  ratio: number;
  keepErrors: boolean;
  /** 0: slow jobs are not detected. */
  slowFactor: number;
  slowWindow: number;
  slowMinSamples: number;
  slowAbsoluteMs: number | null;
  maxHeldSpans: number;
  maxHoldMs: number;
  /** Decisions remembered for spans that end after them (LRU). */
  maxDecisions: number;
  channel: DecisionChannel | null;
  /** Not head-sampled spans are recorded and held (some rule can keep their trace later). */
  tail: boolean;
}

/** The contract's options plus the size of the decision memory. */
export interface SamplingOptions extends TracingSamplingOptions {
  /** Recent decisions remembered, so that spans ending after their trace's decision follow it. Default 20,000. */
  maxDecisions?: number;
}

export function tracingConfigError(message: string): JobscopeError {
  return new JobscopeError('JS_CONFIG', `tracing: ${message}`);
}

function num(name: string, v: unknown, def: number, min: number, max: number, integer = false): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || Number.isNaN(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw tracingConfigError(`sampling.${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${typeof v === 'string' ? `'${v}'` : String(v)}`);
  }
  return v;
}

export function resolveSampling(o: SamplingOptions = {}): ResolvedSampling {
  if (typeof o !== 'object' || o === null) throw tracingConfigError('sampling must be an object');
  const keepErrors = o.keepErrors ?? true;
  if (typeof keepErrors !== 'boolean') throw tracingConfigError('sampling.keepErrors must be a boolean');
  const channel = o.channel ?? null;
  if (channel !== null && (typeof channel.publish !== 'function' || typeof channel.subscribe !== 'function')) {
    throw tracingConfigError('sampling.channel must have publish() and subscribe()');
  }
  const slowFactor = num('slowFactor', o.slowFactor, 1.5, 0, 1000);
  const slowAbsoluteMs = o.slowAbsoluteMs === undefined ? null : num('slowAbsoluteMs', o.slowAbsoluteMs, 0, 0, Number.MAX_SAFE_INTEGER);
  const r: ResolvedSampling = {
    ratio: num('ratio', o.ratio, 0.1, 0, 1),
    keepErrors,
    slowFactor,
    slowWindow: num('slowWindow', o.slowWindow, 500, 1, 100_000, true),
    slowMinSamples: num('slowMinSamples', o.slowMinSamples, 20, 1, 100_000, true),
    slowAbsoluteMs,
    maxHeldSpans: num('maxHeldSpans', o.maxHeldSpans, 20_000, 0, 10_000_000, true),
    maxHoldMs: num('maxHoldMs', o.maxHoldMs, 600_000, 1, 86_400_000, true),
    maxDecisions: num('maxDecisions', o.maxDecisions, 20_000, 0, 10_000_000, true),
    channel,
    tail: false,
  };
  r.tail = r.ratio < 1 && (r.keepErrors || r.slowFactor > 0 || r.slowAbsoluteMs !== null) && r.maxHeldSpans > 0;
  return r;
}

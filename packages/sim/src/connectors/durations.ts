/**
 * How long a job takes, per model: log-normal (long right tail, as real
 * generation and API latencies are), never uniform. The table is the median
 * and the sigma of the logarithm; p95 = median × e^(1.645·sigma).
 *
 * slow_model: median ×2 and sigma + ln(1.5)/1.645, so p95 is exactly ×3
 * (and the tail widens more than the middle, as a degraded model does).
 */
import type { Rng } from '../random/index.js';
import type { ActiveFaults, FaultScope } from './faults.js';

export interface DurationProfile {
  /** Median duration in simulated ms. */
  medianMs: number;
  /** Sigma of ln(duration). */
  sigma: number;
}

export const MODEL_DURATIONS: Readonly<Record<string, DurationProfile>> = {
  // image generation (comfyui, a1111), at the model's default steps and size
  sdxl: { medianMs: 12_000, sigma: 0.55 },
  sd15: { medianMs: 4_000, sigma: 0.5 },
  'flux-dev': { medianMs: 28_000, sigma: 0.5 },
  'sd3-medium': { medianMs: 15_000, sigma: 0.55 },
  'realistic-vision': { medianMs: 5_000, sigma: 0.5 },
  // openai-text: a whole (streamed) completion
  'gpt-4o': { medianMs: 3_500, sigma: 0.6 },
  'gpt-4o-mini': { medianMs: 1_200, sigma: 0.55 },
  'gpt-4-turbo': { medianMs: 6_500, sigma: 0.6 },
  // openai-image
  'dall-e-3': { medianMs: 9_000, sigma: 0.5 },
  'dall-e-2': { medianMs: 4_500, sigma: 0.5 },
  'gpt-image-1': { medianMs: 20_000, sigma: 0.55 },
  // simulation
  'monte-carlo': { medianMs: 2_500, sigma: 0.7 },
  'cfd-solver': { medianMs: 30_000, sigma: 0.8 },
  'molecular-dynamics': { medianMs: 15_000, sigma: 0.65 },
  // rest services
  'upscaler-4x': { medianMs: 3_000, sigma: 0.6 },
  'whisper-large-v3': { medianMs: 6_000, sigma: 0.7 },
  'tts-1': { medianMs: 1_500, sigma: 0.6 },
};

/** Any model not in the table. */
export const DEFAULT_DURATION: DurationProfile = { medianMs: 2_000, sigma: 0.7 };

/** p95 / p50 of a log-normal: e^(1.645·sigma). */
const Z95 = 1.6448536269514722;
export const SLOW_MEDIAN_FACTOR = 2;
export const SLOW_SIGMA_ADD = Math.log(3 / SLOW_MEDIAN_FACTOR) / Z95;

export function baseProfile(model: string): DurationProfile {
  return Object.hasOwn(MODEL_DURATIONS, model) ? MODEL_DURATIONS[model] : DEFAULT_DURATION;
}

/** The profile in effect for a model on a machine (slow_model applied). */
export function durationProfile(model: string, faults: ActiveFaults, scope: FaultScope = {}): DurationProfile {
  const p = baseProfile(model);
  if (!faults.has('slow_model', { ...scope, model })) return p;
  return { medianMs: p.medianMs * SLOW_MEDIAN_FACTOR, sigma: p.sigma + SLOW_SIGMA_ADD };
}

/** One duration draw in simulated ms (≥ 1). */
export function sampleDurationMs(profile: DurationProfile, rng: Rng): number {
  return Math.max(1, rng.lognormal(profile.medianMs, profile.sigma));
}

/** The theoretical p95 of a profile. */
export function p95Of(profile: DurationProfile): number {
  return profile.medianMs * Math.exp(Z95 * profile.sigma);
}

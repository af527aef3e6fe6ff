/**
 * Head sampling by trace id, the same answer in every process without
 * talking: the last 13 hex digits of the trace id (52 random bits of a W3C
 * trace id) read as a fraction in [0, 1); the trace is head-sampled when
 * that fraction is below the ratio. (OpenTelemetry's consistent probability
 * sampling reads the trace id's rightmost bits the same way.)
 *
 * JobAwareSampler answers RECORD_AND_SAMPLED for head-sampled traces and
 * RECORD (recording, not sampled) for the others, whatever the parent's
 * sampled flag says: a process downstream of a not-sampled parent still
 * records its spans, which the processor holds until the job's outcome is
 * known. When nothing could keep a trace later (tail rules off), the others
 * are NOT_RECORD.
 */
import { SamplingDecision, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace-base';

const SCALE = 2 ** 52;

/** True when the trace is head-sampled at `ratio` (deterministic by trace id). */
export function headSampled(traceId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (ratio <= 0 || traceId.length !== 32) return false;
  const r = parseInt(traceId.slice(19), 16);
  return Number.isFinite(r) && r / SCALE < ratio;
}

const SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
const RECORD: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD });
const DROP: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

export class JobAwareSampler implements Sampler {
  readonly #ratio: number;
  readonly #other: SamplingResult;

  /** tail: record (and hold) the not head-sampled spans. */
  constructor(ratio: number, tail: boolean) {
    this.#ratio = ratio;
    this.#other = tail ? RECORD : DROP;
  }

  shouldSample(_context: Context, traceId: string, _name: string, _kind: SpanKind, _attributes: Attributes, _links: Link[]): SamplingResult {
    return headSampled(traceId, this.#ratio) ? SAMPLED : this.#other;
  }

  toString(): string {
    return `JobAwareSampler{ratio=${this.#ratio}, others=${this.#other === RECORD ? 'record' : 'drop'}}`;
  }
}

/**
 * A processor transforms telemetry between the receivers and the disk
 * buffer: synchronous, in place, cheap. It returns the telemetry to pass on
 * (usually the same object) or null when nothing is left (everything
 * filtered out). It never throws for bad data: a record it cannot handle is
 * passed on unchanged.
 */
import type { Telemetry } from '../telemetry.js';

export interface Processor {
  /** The processor's config key, e.g. 'redact' (shown in metrics and errors). */
  readonly name: string;
  process(t: Telemetry): Telemetry | null;
}

/** Runs processors in order; null as soon as one drops everything. */
export function runProcessors(processors: readonly Processor[], t: Telemetry): Telemetry | null {
  let cur: Telemetry | null = t;
  for (let i = 0; i < processors.length && cur !== null; i++) cur = (processors[i] as Processor).process(cur);
  return cur;
}

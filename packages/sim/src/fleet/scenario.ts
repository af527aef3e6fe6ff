/**
 * Fault scenarios of the demo: which faults start when, on which machine or
 * model. `random` (the default demo) schedules a few at random; the named
 * ones start their fault after `delayMs` and keep it for `durationMs`.
 */
import type { FaultName } from '../connectors/index.js';
import type { Rng } from '../random/index.js';

export const SCENARIOS = ['none', 'random', 'gpu_oom', 'slow_model', 'machine_crash', 'rate_limit', 'backlog', 'new_error'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScheduledFault {
  name: FaultName;
  atMs: number;
  durationMs: number;
  machineId?: string;
  model?: string;
}

/** The faults of a scenario, relative to the fleet's start. */
export function scheduleFor(name: ScenarioName, machines: readonly string[], rng: Rng, opts: { delayMs?: number; durationMs?: number } = {}): ScheduledFault[] {
  const delay = opts.delayMs ?? 20_000;
  const duration = opts.durationMs ?? 120_000;
  const machine = (): string => rng.pick(machines as string[]);
  const one = (n: FaultName, at: number): ScheduledFault => {
    switch (n) {
      case 'gpu_oom': case 'machine_crash': return { name: n, atMs: at, durationMs: duration, machineId: machine() };
      case 'slow_model': return { name: n, atMs: at, durationMs: duration, model: rng.pick(['sdxl', 'gpt-4o', 'sd15']) };
      default: return { name: n, atMs: at, durationMs: duration };
    }
  };
  switch (name) {
    case 'none': return [];
    case 'random': {
      const kinds: FaultName[] = ['gpu_oom', 'slow_model', 'rate_limit', 'new_error', 'backlog'];
      return [0, 1, 2].map((k) => one(rng.pick(kinds), delay + k * (duration + delay)));
    }
    default: return [one(name, delay)];
  }
}

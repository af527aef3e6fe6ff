/**
 * Faults the fleet simulator can inject, and the set of active ones.
 *
 * Connector-side effects (connectors read them through ActiveFaults.has):
 *   gpu_oom     — comfyui/a1111 jobs on the machine fail with CUDA OOM most of the time;
 *   slow_model  — the model's durations: median ×2 and a wider tail, so p95 ×3;
 *   rate_limit  — openai jobs mostly fail with 429;
 *   new_error   — a never-seen error message appears (classified `model`).
 * Fleet-side (defined here, acted on by the fleet, not by connectors):
 *   machine_crash — a machine stops, its in-flight jobs are lost and retried;
 *   backlog       — submissions outrun the workers, jobs wait unclaimed.
 *
 * An activation may be scoped to a machine and/or a model and may end at a
 * time; the clock is injectable so simulated time can drive expiry.
 */

export const FAULT_NAMES = ['gpu_oom', 'slow_model', 'machine_crash', 'rate_limit', 'backlog', 'new_error'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export interface FaultScope {
  machineId?: string;
  model?: string;
}

/** What connectors see: is this fault active for this machine/model? */
export interface ActiveFaults {
  has(name: FaultName, scope?: FaultScope): boolean;
}

export interface FaultActivation {
  readonly name: FaultName;
  /** Only this machine (absent: every machine). */
  readonly machineId?: string;
  /** Only this model (absent: every model). */
  readonly model?: string;
  readonly startedAt: number;
  /** Ends at this time (ms, the set's clock); absent: until deactivated. */
  readonly until?: number;
}

export interface ActivateOptions extends FaultScope {
  /** Absolute end time on the set's clock. */
  until?: number;
  /** Or: ends this many ms from now. */
  durationMs?: number;
}

export class FaultSet implements ActiveFaults {
  readonly #now: () => number;
  #list: FaultActivation[] = [];

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Activates a fault; the same name and scope again replaces the earlier activation (new end time). */
  activate(name: FaultName, options: ActivateOptions = {}): FaultActivation {
    if (!(FAULT_NAMES as readonly string[]).includes(name)) throw new RangeError(`unknown fault: ${String(name)}`);
    const now = this.#now();
    const until = options.until ?? (options.durationMs !== undefined ? now + options.durationMs : undefined);
    const a: FaultActivation = {
      name,
      startedAt: now,
      ...(options.machineId !== undefined ? { machineId: options.machineId } : {}),
      ...(options.model !== undefined ? { model: options.model } : {}),
      ...(until !== undefined ? { until } : {}),
    };
    this.#list = this.#list.filter((x) => !(x.name === name && sameScope(x, options)));
    this.#list.push(a);
    return a;
  }

  /**
   * Ends activations of `name`: with a scope, only the one activated with
   * exactly that scope; without, all of them. Returns how many ended.
   */
  deactivate(name: FaultName, scope?: FaultScope): number {
    const before = this.#list.length;
    this.#list = this.#list.filter((x) => !(x.name === name && (scope === undefined || sameScope(x, scope))));
    return before - this.#list.length;
  }

  /**
   * True when an activation of `name` covers the scope: an unscoped activation
   * covers everything; one scoped to machine m1 covers only queries for m1.
   */
  has(name: FaultName, scope: FaultScope = {}): boolean {
    const now = this.#now();
    for (const a of this.#list) {
      if (a.name !== name || (a.until !== undefined && a.until <= now)) continue;
      if (a.machineId !== undefined && a.machineId !== scope.machineId) continue;
      if (a.model !== undefined && a.model !== scope.model) continue;
      return true;
    }
    return false;
  }

  /** The activations not yet ended (expired ones are dropped). */
  active(): FaultActivation[] {
    const now = this.#now();
    this.#list = this.#list.filter((a) => a.until === undefined || a.until > now);
    return [...this.#list];
  }

  clear(): void {
    this.#list = [];
  }

  /** A view for one machine's workers: queries without a machineId are asked for that machine. */
  forMachine(machineId: string): ActiveFaults {
    return { has: (name, scope) => this.has(name, { ...scope, machineId: scope?.machineId ?? machineId }) };
  }
}

function sameScope(a: FaultScope, b: FaultScope): boolean {
  return a.machineId === b.machineId && a.model === b.model;
}

/** No faults: for callers and tests that inject none. */
export const NO_FAULTS: ActiveFaults = { has: () => false };

/**
 * Simulated compute-job connector (the original's "simulation" service
 * type): an iterative solver whose residual falls towards its tolerance,
 * logged with the simulation schema's fields (simulation_type, iteration,
 * total_iterations, convergence = the residual, parameters).
 *
 * Failures: the host running out of memory for its arrays (memory), a
 * solver that diverges (unknown: nothing in the message says why), bad
 * parameters (validation), the wall-clock limit (timeout), the result
 * store unreachable (network).
 */
import { durationProfile, sampleDurationMs } from './durations.js';
import { NEW_ERROR_FAILURE_RATE, connectionRefused, decideFailure, makeError, newError, timedOut, type FailureKind, type FailureProfile } from './failures.js';
import { entryOf, runSession } from './session.js';
import type { ConnectorContext, ConnectorJob, ConnectorResult, SimulatedConnector } from './types.js';
import type { Rng } from '../random/index.js';

interface SimModel {
  simulationType: string;
  iterations: number;
  tolerance: number;
  parameters(rng: Rng): Record<string, unknown>;
}

export const SIMULATION_MODELS: Readonly<Record<string, SimModel>> = {
  'monte-carlo': {
    simulationType: 'monte_carlo', iterations: 50, tolerance: 1e-3,
    parameters: (rng) => ({ samples: rng.pick([100_000, 1_000_000, 5_000_000]), confidence: 0.95, variance_reduction: 'antithetic' }),
  },
  'cfd-solver': {
    simulationType: 'cfd', iterations: 200, tolerance: 1e-6,
    parameters: (rng) => ({ grid: rng.pick(['128x128', '256x256', '512x512']), reynolds: rng.pick([100, 1_000, 5_000]), dt: 0.001, scheme: 'SIMPLE' }),
  },
  'molecular-dynamics': {
    simulationType: 'molecular_dynamics', iterations: 100, tolerance: 1e-4,
    parameters: (rng) => ({ atoms: rng.pick([10_000, 25_000, 100_000]), timestep_fs: 2, temperature_k: 300, ensemble: 'NVT' }),
  },
};

export const SIMULATION_TIMEOUT_MS = 600_000;
export const SIMULATION_FAILURES: FailureProfile = { rate: 0.025, weights: { unknown: 3, memory: 2, validation: 1.5, timeout: 1, network: 1 } };
/** At most this many progress records per job (every k-th iteration is reported). */
const MAX_REPORTS = 20;

export const simulationErrors = {
  memory: (rng: Rng): Error => {
    const gib = rng.uniform(1.5, 24).toFixed(1);
    const n = rng.pick([4096, 8192, 16384]);
    return makeError(`MemoryError: Unable to allocate ${gib} GiB for an array with shape (${n}, ${n}, 24) and data type float64`);
  },
  unknown: (iteration: number): Error => makeError(`Solver diverged at iteration ${iteration}: residual is NaN (check the CFL condition)`, {}, 'SolverDivergence'),
  validation: (rng: Rng): Error =>
    rng.chance(0.5)
      ? makeError(`Invalid parameters: dt must be positive, got ${-rng.pick([0.001, 0.01, 0.5])}`)
      : makeError('Invalid parameters: grid must be a power of two (got 300x300)'),
  timeout: (ms: number): Error => timedOut('Simulation wall-clock limit reached:', ms),
  network: (): Error => connectionRefused('10.0.3.17', 9000),
};

export class SimulationConnector implements SimulatedConnector {
  readonly serviceType = 'simulation';
  readonly connectorId = 'simulation-local';
  readonly models: readonly string[] = Object.keys(SIMULATION_MODELS);

  run(job: ConnectorJob, ctx: ConnectorContext): Promise<ConnectorResult> {
    const model = job.model === '' ? this.models[0] : job.model;
    const spec = entryOf(SIMULATION_MODELS, model) ?? SIMULATION_MODELS['monte-carlo'];
    const rng = ctx.rng;
    const given = job.payload.parameters;
    const parameters = typeof given === 'object' && given !== null && !Array.isArray(given) ? (given as Record<string, unknown>) : spec.parameters(rng);
    const total = spec.iterations;
    const base = { simulation_type: spec.simulationType, total_iterations: total, model };
    let iteration = 0;
    let residual = 1;

    return runSession(job, ctx, model, {
      timeoutMs: SIMULATION_TIMEOUT_MS,
      timeoutError: (ms) => simulationErrors.timeout(ms),
      logFailure: (error, s) =>
        s.log.error('Simulation failed', error, { ...base, iteration, convergence: Number(residual.toPrecision(4)), attempt: job.attempts }),
      play: async (s) => {
        const kind: FailureKind | null = decideFailure(rng, SIMULATION_FAILURES, [
          { active: ctx.faults.has('new_error', s.scope), probability: NEW_ERROR_FAILURE_RATE, kind: 'new_error' },
        ]);
        const duration = sampleDurationMs(durationProfile(model, ctx.faults, s.scope), rng);
        const every = Math.max(1, Math.ceil(total / MAX_REPORTS));
        const failAt = rng.int(1, total);
        // Residual falls geometrically to just below the tolerance at the last iteration, with jitter per step.
        const rate = Math.log(1 / spec.tolerance) / total;
        const setup = duration * 0.05;

        await s.wait(setup * 0.3);
        if (kind === 'validation') throw simulationErrors.validation(rng);
        s.log.info('Simulation started', { ...base, parameters, iteration: 0 });
        await s.wait(setup * 0.7);
        if (kind === 'memory') throw simulationErrors.memory(rng);
        await s.progress(0, total, { ...base, iteration: 0, convergence: residual });

        const perIteration = (duration - setup) / total;
        for (iteration = 1; iteration <= total; iteration++) {
          if (iteration === failAt) {
            if (kind === 'new_error') throw newError('gpu', model, rng);
            if (kind === 'network') throw simulationErrors.network();
            if (kind === 'timeout') await s.hang();
          }
          await s.wait(perIteration);
          residual *= Math.exp(-rate * rng.uniform(0.7, 1.3));
          if (kind === 'unknown' && iteration >= failAt) throw simulationErrors.unknown(iteration);
          if (iteration % every === 0 || iteration === total) {
            const r = Number(residual.toPrecision(4));
            await s.progress(iteration, total, { ...base, iteration, convergence: r });
          }
        }
        iteration = total;
        const converged = residual <= spec.tolerance * 1.5;
        const outBytes = Math.round(rng.lognormal(2_000_000, 0.8));
        s.log.info('Simulation finished', { ...base, iteration: total, convergence: Number(residual.toPrecision(4)), parameters, converged, output_size: outBytes });
        return { simulation_type: spec.simulationType, iterations: total, residual, converged, parameters, output_size: outBytes };
      },
    });
  }
}

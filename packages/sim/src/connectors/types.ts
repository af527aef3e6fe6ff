/**
 * The contract between the fleet's workers and a simulated connector: the
 * worker claims a job, makes a job-scoped logger and calls `run`; the
 * connector plays the service (ComfyUI, OpenAI, A1111, a simulation, a REST
 * API), logs what a real connector logs — its schema's fields, progress —
 * and returns an output or a realistic Error. The worker owns the lifecycle
 * events (jobReceived/Started/Completed/Failed), classification and retries.
 */
import type { ConnectorLogger } from '@jobscope/sdk';
import type { Rng } from '../random/index.js';
import type { ActiveFaults } from './faults.js';

export interface ConnectorJob {
  id: string;
  service_type: string;
  /** One of the connector's `models`; '' means its default (the first). */
  model: string;
  payload: Record<string, unknown>;
  /** Claims so far (1 on the first attempt). */
  attempts: number;
}

export interface ConnectorContext {
  /** Job-scoped (withJobContext) by the caller. */
  logger: ConnectorLogger;
  rng: Rng;
  faults: ActiveFaults;
  /** The caller decides real time vs scaled time. */
  sleep(ms: number): Promise<void>;
  /** Queue progress (pub/sub); called alongside logger.jobProgress. */
  progress(p: { progress: number; step?: number; totalSteps?: number }): Promise<void>;
  /**
   * The machine the job runs on, for machine-scoped faults (gpu_oom). Without
   * it only unscoped faults apply — unless `faults` is a FaultSet.forMachine view.
   */
  machineId?: string;
  /**
   * Simulated milliseconds × durationScale = milliseconds passed to `sleep`
   * (0.01 runs 100× faster). Default 1. Logged times stay the simulated ones.
   */
  durationScale?: number;
  /** Set by a worker that traces the job: connector-internal spans (ComfyUI: one per node). */
  trace?: ConnectorTrace;
}

/** What a connector may add to its call's span. */
export interface ConnectorTrace {
  /** Runs one ComfyUI node inside its own span (`comfyui node {classType}`). */
  node<T>(nodeId: string, classType: string, fn: () => Promise<T>, attrs?: { vramUsage?: number }): Promise<T>;
}

/**
 * `durationMs`: the simulated (unscaled) time the attempt took, for the
 * worker's duration_ms. On failure `error.message` is realistic: the worker
 * classifies it (classifyError) and calls jobFailed.
 */
export type ConnectorResult =
  | { ok: true; output: Record<string, unknown>; durationMs: number }
  | { ok: false; error: Error; durationMs: number };

export interface SimulatedConnector {
  serviceType: string;
  connectorId: string;
  models: readonly string[];
  run(job: ConnectorJob, ctx: ConnectorContext): Promise<ConnectorResult>;
}

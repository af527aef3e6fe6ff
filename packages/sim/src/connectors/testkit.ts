/**
 * Test helpers: run a simulated connector against a real ConnectorLogger
 * writing to memory, with a fake (instant) sleep that records what it was
 * asked to wait, and the queue progress calls it made.
 *
 * CaptureSink is the SDK's MemorySink (`@jobscope/sdk/testkit`).
 */
import { ConnectorLogger } from '@jobscope/sdk';
import { MemorySink } from '@jobscope/sdk/testkit';
import { createRng, type Seed } from '../random/index.js';
import { NO_FAULTS, type ActiveFaults } from './faults.js';
import type { ConnectorContext, ConnectorResult, SimulatedConnector } from './types.js';

/** The SDK's in-memory sink (lines kept, parsed on demand). */
export { MemorySink as CaptureSink };

export interface JobRun {
  result: ConnectorResult;
  records: Array<Record<string, unknown>>;
  /** ctx.progress calls, in order. */
  progress: Array<{ progress: number; step?: number; totalSteps?: number }>;
  /** ms passed to ctx.sleep, in order. */
  slept: number[];
  schemaErrors: number;
}

export interface RunOptions {
  seed: Seed;
  model?: string;
  payload?: Record<string, unknown>;
  faults?: ActiveFaults;
  machineId?: string;
  /** Set ctx.machineId (default true); false leaves it to a FaultSet.forMachine view. */
  passMachineId?: boolean;
  durationScale?: number;
  /** Default: instant, recorded. */
  sleep?: (ms: number) => Promise<void>;
  attempts?: number;
}

/** Runs one job through the connector and returns what it logged and did. */
export async function runJob(connector: SimulatedConnector, o: RunOptions): Promise<JobRun> {
  const sink = new MemorySink();
  const machineId = o.machineId ?? 'machine-1';
  const root = new ConnectorLogger({
    machineId, workerId: `${machineId}-${connector.serviceType}-0`, serviceType: connector.serviceType, connectorId: connector.connectorId,
    sink, level: 'debug', trace: false, env: {},
  });
  const jobId = `job-${String(o.seed)}`;
  const logger = root.withJobContext(jobId);
  const progress: JobRun['progress'] = [];
  const slept: number[] = [];
  const ctx: ConnectorContext = {
    logger,
    rng: createRng(o.seed),
    faults: o.faults ?? NO_FAULTS,
    sleep: async (ms) => {
      slept.push(ms);
      if (o.sleep) await o.sleep(ms);
    },
    progress: async (p) => {
      progress.push(p);
    },
    ...(o.passMachineId === false ? {} : { machineId }),
    ...(o.durationScale !== undefined ? { durationScale: o.durationScale } : {}),
  };
  const result = await connector.run(
    { id: jobId, service_type: connector.serviceType, model: o.model ?? '', payload: o.payload ?? {}, attempts: o.attempts ?? 1 },
    ctx,
  );
  return { result, records: sink.records(), progress, slept, schemaErrors: root.stats().schemaErrors };
}

/** `n` jobs with seeds `${prefix}-0` … cycling through the connector's models. */
export async function runMany(connector: SimulatedConnector, n: number, o: Omit<RunOptions, 'seed'> & { prefix: string; models?: readonly string[] }): Promise<JobRun[]> {
  const models = o.models ?? (o.model !== undefined ? [o.model] : connector.models);
  const out: JobRun[] = [];
  for (let i = 0; i < n; i++) out.push(await runJob(connector, { ...o, seed: `${o.prefix}-${i}`, model: models[i % models.length] }));
  return out;
}

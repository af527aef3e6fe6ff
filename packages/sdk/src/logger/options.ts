/**
 * ConnectorLogger options and the identity of the process that logs.
 *
 * Worker ID scheme (mission brief: machine_id + worker_id + service_type
 * (+ connector_id)), each from the option, else the environment, else:
 *   machine_id   = MACHINE_ID            || os.hostname()
 *   service_type = SERVICE_TYPE          || 'unknown'
 *   worker_id    = WORKER_ID             || `${machine_id}-${service_type}-${WORKER_INDEX || 0}`
 *   connector_id = CONNECTOR_ID          || service_type   (one connector per type per worker)
 *   dataset      = JOBSCOPE_DATASET      || (absent: the exporter or server decides)
 * WORKER_INDEX is the worker's slot on its machine (GPU 0, 1, …), so two
 * workers of one machine get distinct, stable IDs across restarts.
 */
import { hostname } from 'node:os';
import type { LineSink } from '../contract.js';
import type { LevelSetting } from './levels.js';

export interface ConnectorLoggerOptions {
  machineId?: string;
  workerId?: string;
  serviceType?: string;
  connectorId?: string;
  jobId?: string;
  sessionId?: string;
  /** Environment/tenant partition (`prod`, `staging`). */
  dataset?: string;
  /** Where records go; default: JSON lines on stdout. */
  sink?: LineSink;
  /** Threshold for info/warn/…; default LOG_LEVEL or `info`. Lifecycle and fleet events ignore it (only `silent` stops them). */
  level?: LevelSetting;
  /** More constant fields for every record (`source`, `region`, …), serialized once. */
  bindings?: Record<string, unknown>;
  /** Longest string value written, in characters (default 32 KiB); longer ones are cut and marked. */
  maxStringLength?: number;
  /** trace_id/span_id from the active OpenTelemetry span (default true). */
  trace?: boolean;
  /** Environment to read defaults from (default process.env). */
  env?: Record<string, string | undefined>;
}

/** The original's context type, kept for callers of the original API. */
export interface ConnectorLogContext {
  machineId: string;
  workerId: string;
  serviceType: string;
  connectorId: string;
  jobId?: string;
  sessionId?: string;
}

export interface Identity {
  machine_id: string;
  worker_id: string;
  service_type: string;
  connector_id: string;
  dataset?: string;
}

export const DEFAULT_MAX_STRING = 32 * 1024;

export function resolveIdentity(o: ConnectorLoggerOptions): Identity {
  const env = o.env ?? process.env;
  const machine = pick(o.machineId, env.MACHINE_ID) ?? safeHostname();
  const service = pick(o.serviceType, env.SERVICE_TYPE) ?? 'unknown';
  const worker = pick(o.workerId, env.WORKER_ID) ?? `${machine}-${service}-${pick(env.WORKER_INDEX) ?? '0'}`;
  const connector = pick(o.connectorId, env.CONNECTOR_ID) ?? service;
  const id: Identity = { machine_id: machine, worker_id: worker, service_type: service, connector_id: connector };
  const dataset = pick(o.dataset, env.JOBSCOPE_DATASET);
  if (dataset !== undefined) id.dataset = dataset;
  return id;
}

/** The first non-empty string (empty env variables count as unset). */
function pick(...values: Array<string | undefined>): string | undefined {
  for (const v of values) if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

function safeHostname(): string {
  try {
    return hostname() || 'unknown';
  } catch {
    return 'unknown';
  }
}

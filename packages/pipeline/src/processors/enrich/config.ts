/** Configuration of the enrich processor (what the agent knows about the machine it runs on). */
import { hostname } from 'node:os';
import { JobscopeError } from '@jobscope/core';

export interface EnrichConfig {
  /** `machine_id` of every resource that has none. */
  machineId?: string;
  /** `host.name` of every resource that has none (default: os.hostname()). */
  hostName: string;
  /** `cloud.region`. */
  region?: string;
  /** `deployment.environment.name` (the server's `dataset`). */
  environment?: string;
  /** `jobscope.agent.version`. Required. */
  agentVersion: string;
}

export type EnrichConfigInput = Partial<EnrichConfig> & { agentVersion: string };

/** The defaults (read when called: the host name is the machine's at that time). */
export function defaultEnrichConfig(): Pick<EnrichConfig, 'hostName'> {
  return { hostName: hostname() };
}

/** Defaults applied and validated. An empty string means "do not set this attribute". */
export function resolveEnrichConfig(input: EnrichConfigInput): EnrichConfig {
  if (input === null || typeof input !== 'object') throw new JobscopeError('JS_CONFIG', 'enrich: config must be an object');
  const c: EnrichConfig = { ...defaultEnrichConfig(), ...input };
  if (c.hostName === undefined) c.hostName = hostname();
  validateEnrichConfig(c);
  return c;
}

export function validateEnrichConfig(c: EnrichConfig): void {
  if (typeof c.agentVersion !== 'string' || c.agentVersion.trim() === '') {
    throw new JobscopeError('JS_CONFIG', 'enrich.agentVersion must be a non-empty string');
  }
  for (const key of ['machineId', 'hostName', 'region', 'environment'] as const) {
    const v: unknown = c[key];
    if (v !== undefined && typeof v !== 'string') throw new JobscopeError('JS_CONFIG', `enrich.${key} must be a string`);
    if (typeof v === 'string' && v.length > 256) throw new JobscopeError('JS_CONFIG', `enrich.${key} is longer than 256 characters`);
  }
}

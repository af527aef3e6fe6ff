/** Defaults of every agent setting (docs/agent.md lists them). */
import { resolve } from 'node:path';
import type { AgentConfig } from './types.js';

export const DEFAULT_PORTS = { http: 9880, otlp: 4318, forward: 24224, health: 2020 } as const;
export const DEFAULT_BATCH_ID_HEADER = 'x-jobscope-batch-id';

export function defaultAgentConfig(): AgentConfig {
  return {
    bufferDir: resolve('jobscope-agent'),
    bufferMaxBytes: 1024 ** 3,
    bufferSegmentBytes: 64 * 1024 ** 2,
    onFull: 'backpressure',
    fsync: 'interval',
    host: '127.0.0.1',
    insecure: false,
    http: { enabled: true, port: DEFAULT_PORTS.http, maxBodyBytes: 16 * 1024 ** 2 },
    otlp: { enabled: true, port: DEFAULT_PORTS.otlp, maxBodyBytes: 16 * 1024 ** 2 },
    forward: { enabled: true, port: DEFAULT_PORTS.forward },
    tail: { include: [], exclude: [], startAt: 'beginning', pollIntervalMs: 250 },
    health: { enabled: true, host: '127.0.0.1', port: DEFAULT_PORTS.health },
    enrich: {},
    canonical: { validateSchemas: true },
    redact: { enabled: true, useDefaults: true, patterns: [] },
    filter: { rules: [] },
    exporters: [],
    quiet: false,
  };
}

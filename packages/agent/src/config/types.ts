/**
 * The agent's resolved configuration: what the YAML file, the environment
 * and the flags produce together (flags over environment over file over
 * defaults), validated once at start.
 */
import type { FsyncPolicy } from '@jobscope/pipeline/buffer';

export interface ExporterConfig {
  /** Destination name; also the disk buffer cursor name. */
  name: string;
  /** Base URL: POST {endpoint}/v1/logs|traces|metrics. */
  endpoint: string;
  headers: Record<string, string>;
  /** Idempotency header; null for OTLP backends that do not know it. */
  batchIdHeader: string | null;
  compression: 'gzip' | 'none';
}

export interface RedactPatternConfig { name: string; regex: string; flags?: string; replacement?: string }
export interface FilterRuleConfig {
  action: 'drop' | 'keep';
  field: string;
  equals?: string | number | boolean;
  in?: Array<string | number>;
  matches?: string;
  exists?: boolean;
}

export interface AgentConfig {
  /** Where the disk buffer (and tail checkpoints, agent id) live. */
  bufferDir: string;
  bufferMaxBytes: number;
  bufferSegmentBytes: number;
  /** At the bound: push back on the inputs, or drop the oldest data (counted). */
  onFull: 'backpressure' | 'drop_oldest';
  fsync: FsyncPolicy;
  /** Address the receivers bind to. */
  host: string;
  /** Bearer token (HTTP receivers) and shared key (forward) required from senders; required off loopback. */
  authToken?: string;
  insecure: boolean;
  http: { enabled: boolean; port: number; maxBodyBytes: number };
  otlp: { enabled: boolean; port: number; maxBodyBytes: number };
  forward: { enabled: boolean; port: number };
  tail: { include: string[]; exclude: string[]; startAt: 'beginning' | 'end'; pollIntervalMs: number };
  health: { enabled: boolean; host: string; port: number };
  enrich: { machineId?: string; hostName?: string; region?: string; environment?: string };
  canonical: { validateSchemas: boolean };
  redact: { enabled: boolean; useDefaults: boolean; patterns: RedactPatternConfig[]; keys?: string[] };
  filter: {
    minSeverity?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
    rules: FilterRuleConfig[];
    sample?: { rate: number; by?: string; keepSeverityAtLeast?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' };
  };
  exporters: ExporterConfig[];
  /** No startup banner or per-error lines on stderr. */
  quiet: boolean;
}

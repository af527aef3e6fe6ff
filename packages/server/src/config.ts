/**
 * Server configuration: defaults, environment, validation. Fails fast at
 * boot with a precise message; never after.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isLoopback } from '@jobscope/pipeline';
import { DEFAULT_RETENTION, validateRetention, type Retention } from './store/index.js';

export interface ServerConfig {
  host: string;
  port: number;
  /** Data directory: embedded ClickHouse in `<data>/clickhouse`, the write-ahead log in `<data>/wal`. */
  dataDir: string;
  /** A ClickHouse server URL (http[s]://user:pass@host:8123/db); embedded chdb when absent. */
  clickhouseUrl?: string;
  /** Bearer token required on ingest and query routes when set. */
  token?: string;
  /** Allow listening on a non-loopback address without a token. */
  insecure: boolean;
  retention: Retention;
  /** Largest ingest body (compressed) in bytes. */
  maxIngestBodyBytes: number;
  /** Largest body of other routes. */
  maxApiBodyBytes: number;
  /** Bytes of rendered rows accepted but not yet in storage (they wait in memory) before ingest answers 429. */
  maxPendingBytes: number;
  /** Rows accepted but not yet in storage before ingest answers 429. */
  maxPendingRows: number;
  walFsync: 'always' | 'interval' | 'never';
  defaultDataset?: string;
  /**
   * A directory of web UI files (packages/ui's built bundle) served at `/`
   * with an SPA fallback to its index.html; absent: `/` says the UI is not built.
   */
  uiDir?: string;
  /** Silence request logging (tests). */
  quiet: boolean;
}

export function defaultConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: env.JOBSCOPE_HOST ?? '127.0.0.1',
    port: env.PORT ? Number(env.PORT) : 4318,
    dataDir: resolve(env.JOBSCOPE_DATA ?? 'jobscope-data'),
    clickhouseUrl: env.CLICKHOUSE_URL || undefined,
    token: env.JOBSCOPE_TOKEN || undefined,
    insecure: false,
    retention: env.JOBSCOPE_RETENTION ? parseRetention(env.JOBSCOPE_RETENTION) : { ...DEFAULT_RETENTION },
    maxIngestBodyBytes: 16 * 1024 * 1024,
    maxApiBodyBytes: 1024 * 1024,
    maxPendingBytes: 256 * 1024 * 1024,
    maxPendingRows: 2_000_000,
    walFsync: 'interval',
    quiet: false,
  };
}

export { isLoopback };

export function validateConfig(c: ServerConfig): void {
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65535) throw new Error(`port must be 0-65535 (got ${c.port})`);
  if (!isLoopback(c.host) && !c.token && !c.insecure) {
    throw new Error(`refusing to listen on ${c.host} without a token: set --token (or JOBSCOPE_TOKEN), or pass --insecure`);
  }
  if (c.token !== undefined && c.token.length < 8) throw new Error('the token must be at least 8 characters');
  if (c.clickhouseUrl) {
    let u: URL;
    try { u = new URL(c.clickhouseUrl); } catch { throw new Error(`--clickhouse must be a URL such as http://localhost:8123/default (got ${c.clickhouseUrl})`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('--clickhouse must be an http:// or https:// URL');
  }
  if (!['always', 'interval', 'never'].includes(c.walFsync)) throw new Error('walFsync must be always, interval or never');
  validateRetention(c.retention);
  if (c.uiDir !== undefined) {
    let isDir = false;
    try { isDir = statSync(c.uiDir).isDirectory(); } catch { /* missing: said below */ }
    if (!isDir) throw new Error(`uiDir must be an existing directory (got ${c.uiDir})`);
  }
}

const RETENTION_KEYS: Record<string, keyof Retention> = {
  logs: 'logsDays', errors: 'errorLogsDays', events: 'eventsDays', traces: 'tracesDays', metrics: 'metricsDays',
};

/** Parses `logs=30d,errors=90d,events=180d,traces=7d,metrics=30d` (any subset; `d` optional) over the defaults. */
export function parseRetention(text: string): Retention {
  const r: Retention = { ...DEFAULT_RETENTION };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\w+)=(\d+)d?$/.exec(part);
    const key = m ? RETENTION_KEYS[m[1]!] : undefined;
    if (!m || !key) {
      throw new Error(`invalid retention '${part}': use ${Object.keys(RETENTION_KEYS).map((k) => `${k}=<days>d`).join(',')}`);
    }
    r[key] = Number(m[2]);
  }
  validateRetention(r);
  return r;
}

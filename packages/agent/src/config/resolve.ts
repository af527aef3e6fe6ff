/**
 * The agent's configuration from its three sources, in order of precedence:
 * command-line flags, then environment variables, then the config file,
 * then the defaults. Validated once; every error names the setting.
 */
import { resolve } from 'node:path';
import { JobscopeError } from '@jobscope/core';
import { isLoopback } from '@jobscope/pipeline';
import { defaultAgentConfig } from './defaults.js';
import { loadConfigFile, setServerExporter } from './file.js';
import type { AgentConfig } from './types.js';
import { parseBytes, parsePortValue } from './units.js';

/** Settings given as flags (`jobscope agent --help`); ports accept 'off'. */
export interface AgentFlags {
  config?: string;
  server?: string;
  token?: string;
  authToken?: string;
  buffer?: string;
  bufferMaxBytes?: string;
  onFull?: string;
  fsync?: string;
  host?: string;
  httpPort?: string;
  otlpPort?: string;
  forwardPort?: string;
  healthPort?: string;
  tail?: string[];
  machineId?: string;
  region?: string;
  environment?: string;
  insecure?: boolean;
  quiet?: boolean;
}

/** Environment variables read (documented in docs/agent.md). */
export const AGENT_ENV = {
  config: 'JOBSCOPE_AGENT_CONFIG',
  server: 'JOBSCOPE_SERVER',
  token: 'JOBSCOPE_TOKEN',
  authToken: 'JOBSCOPE_AGENT_TOKEN',
  buffer: 'JOBSCOPE_AGENT_BUFFER',
  host: 'JOBSCOPE_AGENT_HOST',
  machineId: 'MACHINE_ID',
  region: 'JOBSCOPE_REGION',
  environment: 'JOBSCOPE_ENVIRONMENT',
} as const;

export async function resolveAgentConfig(flags: AgentFlags, env: NodeJS.ProcessEnv = process.env): Promise<AgentConfig> {
  const c = defaultAgentConfig();
  const file = flags.config ?? env[AGENT_ENV.config];
  if (file) await loadConfigFile(file, c);

  // environment over file
  const e = (k: keyof typeof AGENT_ENV): string | undefined => env[AGENT_ENV[k]] || undefined;
  apply(c, {
    server: e('server'), token: e('token'), authToken: e('authToken'), buffer: e('buffer'), host: e('host'),
    machineId: e('machineId'), region: e('region'), environment: e('environment'),
  });
  // flags over environment
  apply(c, flags);
  validateAgentConfig(c);
  return c;
}

function apply(c: AgentConfig, f: AgentFlags): void {
  if (f.server) setServerExporter(c, f.server, f.token);
  else if (f.token) {
    const server = c.exporters.find((x) => x.name === 'server');
    if (server) server.headers.authorization = `Bearer ${f.token}`;
  }
  if (f.authToken) c.authToken = f.authToken;
  if (f.buffer) c.bufferDir = resolve(f.buffer);
  if (f.bufferMaxBytes) c.bufferMaxBytes = parseBytes(f.bufferMaxBytes, '--buffer-max-bytes');
  if (f.onFull) {
    if (f.onFull !== 'backpressure' && f.onFull !== 'drop_oldest') throw new JobscopeError('JS_CONFIG', `--on-full must be backpressure or drop_oldest (got ${f.onFull})`);
    c.onFull = f.onFull;
  }
  if (f.fsync) {
    if (f.fsync !== 'always' && f.fsync !== 'interval' && f.fsync !== 'never') throw new JobscopeError('JS_CONFIG', `--fsync must be always, interval or never (got ${f.fsync})`);
    c.fsync = f.fsync;
  }
  if (f.host) c.host = f.host;
  port(f.httpPort, '--http-port', c.http);
  port(f.otlpPort, '--otlp-port', c.otlp);
  port(f.forwardPort, '--forward-port', c.forward);
  port(f.healthPort, '--health-port', c.health);
  if (f.tail && f.tail.length > 0) c.tail.include = f.tail.map((g) => (g.startsWith('/') ? g : resolve(g)));
  if (f.machineId) c.enrich.machineId = f.machineId;
  if (f.region) c.enrich.region = f.region;
  if (f.environment) c.enrich.environment = f.environment;
  if (f.insecure) c.insecure = true;
  if (f.quiet) c.quiet = true;
}

function port(v: string | undefined, what: string, target: { enabled: boolean; port: number }): void {
  if (v === undefined) return;
  if (v === 'off') { target.enabled = false; return; }
  target.port = parsePortValue(v, what);
  target.enabled = true;
}

export function validateAgentConfig(c: AgentConfig): void {
  const err = (m: string): never => { throw new JobscopeError('JS_CONFIG', m); };
  if (c.exporters.length === 0) err('no destination: pass --server URL (or set JOBSCOPE_SERVER, or `server:`/`exporters:` in the config file)');
  const names = new Set<string>();
  for (const x of c.exporters) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(x.name)) err(`exporter name '${x.name}' must be 1-64 letters, digits, _ or -`);
    if (names.has(x.name)) err(`two exporters are named '${x.name}'`);
    names.add(x.name);
    let u: URL;
    try { u = new URL(x.endpoint); } catch { return err(`exporter ${x.name}: endpoint must be a URL such as http://jobscope:4318 (got ${x.endpoint})`); }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') err(`exporter ${x.name}: endpoint must be http:// or https://`);
  }
  // at least 4 segments per buffer, so that freeing the oldest one frees a useful share
  if (c.bufferSegmentBytes * 4 > c.bufferMaxBytes) c.bufferSegmentBytes = Math.max(64 * 1024, Math.floor(c.bufferMaxBytes / 4));
  if (c.bufferSegmentBytes > c.bufferMaxBytes) err('buffer.max_bytes must be at least 64KiB');
  const listening = c.http.enabled || c.otlp.enabled || c.forward.enabled;
  if (listening && !isLoopback(c.host) && !c.authToken && !c.insecure) {
    err(`refusing to listen on ${c.host} without an auth token: set --auth-token (or JOBSCOPE_AGENT_TOKEN, or listen.auth_token), or pass --insecure`);
  }
  if (c.authToken !== undefined && c.authToken.length < 8) err('the auth token must be at least 8 characters');
  if (c.health.enabled && !isLoopback(c.health.host) && !c.authToken && !c.insecure) {
    err(`refusing to serve health/metrics on ${c.health.host} without an auth token (or --insecure)`);
  }
  const used = new Map<number, string>();
  for (const [name, r] of [['http', c.http], ['otlp', c.otlp], ['forward', c.forward], ['health', c.health]] as const) {
    if (!r.enabled || r.port === 0) continue;
    const other = used.get(r.port);
    if (other) err(`the ${name} and ${other} listeners both use port ${r.port}`);
    used.set(r.port, name);
  }
  if (!(c.tail.pollIntervalMs >= 10)) err('receivers.tail.poll_interval_ms must be at least 10');
}

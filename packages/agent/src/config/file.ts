/**
 * agent.yaml → settings over the defaults. The layout (snake_case, sections
 * buffer / listen / receivers / processors / exporters / health, plus the
 * `server` and `token` shorthands) is documented in agent.example.yaml.
 */
import { readFile } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { JobscopeError } from '@jobscope/core';
import { DEFAULT_BATCH_ID_HEADER } from './defaults.js';
import { optBool, optEnum, optNum, optStr, optStrList, optStrMap, section, type Obj } from './read.js';
import type { AgentConfig, ExporterConfig, FilterRuleConfig, RedactPatternConfig } from './types.js';
import { parseBytes, parsePortValue } from './units.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export async function loadConfigFile(path: string, into: AgentConfig): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new JobscopeError('JS_CONFIG', `cannot read config file ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new JobscopeError('JS_CONFIG', `${path}: invalid YAML: ${(e as Error).message}`);
  }
  try {
    applyConfigDocument(doc, into, dirname(resolve(path)));
  } catch (e) {
    if (e instanceof JobscopeError) throw new JobscopeError('JS_CONFIG', `${path}: ${e.message}`);
    throw e;
  }
}

/** Applies a parsed document; relative paths resolve against baseDir (the file's folder). */
export function applyConfigDocument(doc: unknown, c: AgentConfig, baseDir: string): void {
  const root = section(doc, '', ['server', 'token', 'buffer', 'listen', 'receivers', 'processors', 'exporters', 'health']);

  const buffer = section(root.buffer, 'buffer', ['dir', 'max_bytes', 'segment_bytes', 'on_full', 'fsync']);
  const dir = optStr(buffer, 'dir', 'buffer');
  if (dir !== undefined) c.bufferDir = resolve(baseDir, dir);
  if (buffer.max_bytes !== undefined) c.bufferMaxBytes = parseBytes(buffer.max_bytes, 'buffer.max_bytes');
  if (buffer.segment_bytes !== undefined) c.bufferSegmentBytes = parseBytes(buffer.segment_bytes, 'buffer.segment_bytes');
  c.onFull = optEnum(buffer, 'on_full', 'buffer', ['backpressure', 'drop_oldest'] as const) ?? c.onFull;
  c.fsync = optEnum(buffer, 'fsync', 'buffer', ['always', 'interval', 'never'] as const) ?? c.fsync;

  const listen = section(root.listen, 'listen', ['host', 'auth_token', 'insecure']);
  c.host = optStr(listen, 'host', 'listen') ?? c.host;
  c.authToken = optStr(listen, 'auth_token', 'listen') || c.authToken;
  c.insecure = optBool(listen, 'insecure', 'listen') ?? c.insecure;

  const receivers = section(root.receivers, 'receivers', ['http', 'otlp', 'forward', 'tail']);
  for (const name of ['http', 'otlp'] as const) {
    const r = section(receivers[name], `receivers.${name}`, ['enabled', 'port', 'max_body_bytes']);
    c[name].enabled = optBool(r, 'enabled', `receivers.${name}`) ?? c[name].enabled;
    if (r.port !== undefined) c[name].port = parsePortValue(r.port, `receivers.${name}.port`);
    if (r.max_body_bytes !== undefined) c[name].maxBodyBytes = parseBytes(r.max_body_bytes, `receivers.${name}.max_body_bytes`);
  }
  const fwd = section(receivers.forward, 'receivers.forward', ['enabled', 'port']);
  c.forward.enabled = optBool(fwd, 'enabled', 'receivers.forward') ?? c.forward.enabled;
  if (fwd.port !== undefined) c.forward.port = parsePortValue(fwd.port, 'receivers.forward.port');
  const tail = section(receivers.tail, 'receivers.tail', ['include', 'exclude', 'start_at', 'poll_interval_ms']);
  const include = optStrList(tail, 'include', 'receivers.tail');
  if (include) c.tail.include = include.map((g) => resolveGlob(baseDir, g));
  const exclude = optStrList(tail, 'exclude', 'receivers.tail');
  if (exclude) c.tail.exclude = exclude.map((g) => resolveGlob(baseDir, g));
  c.tail.startAt = optEnum(tail, 'start_at', 'receivers.tail', ['beginning', 'end'] as const) ?? c.tail.startAt;
  c.tail.pollIntervalMs = optNum(tail, 'poll_interval_ms', 'receivers.tail') ?? c.tail.pollIntervalMs;

  const processors = section(root.processors, 'processors', ['enrich', 'canonical', 'redact', 'filter']);
  const enrich = section(processors.enrich, 'processors.enrich', ['machine_id', 'host_name', 'region', 'environment']);
  c.enrich = {
    ...c.enrich,
    ...defined({
      machineId: optStr(enrich, 'machine_id', 'processors.enrich'),
      hostName: optStr(enrich, 'host_name', 'processors.enrich'),
      region: optStr(enrich, 'region', 'processors.enrich'),
      environment: optStr(enrich, 'environment', 'processors.enrich'),
    }),
  };
  const canonical = section(processors.canonical, 'processors.canonical', ['validate_schemas']);
  c.canonical.validateSchemas = optBool(canonical, 'validate_schemas', 'processors.canonical') ?? c.canonical.validateSchemas;
  const redact = section(processors.redact, 'processors.redact', ['enabled', 'use_defaults', 'patterns', 'keys']);
  c.redact.enabled = optBool(redact, 'enabled', 'processors.redact') ?? c.redact.enabled;
  c.redact.useDefaults = optBool(redact, 'use_defaults', 'processors.redact') ?? c.redact.useDefaults;
  const keys = optStrList(redact, 'keys', 'processors.redact');
  if (keys) c.redact.keys = keys;
  if (redact.patterns !== undefined) c.redact.patterns = list(redact.patterns, 'processors.redact.patterns').map(redactPattern);
  const filter = section(processors.filter, 'processors.filter', ['min_severity', 'rules', 'sample']);
  const minSeverity = optEnum(filter, 'min_severity', 'processors.filter', LEVELS);
  if (minSeverity) c.filter.minSeverity = minSeverity;
  if (filter.rules !== undefined) c.filter.rules = list(filter.rules, 'processors.filter.rules').map(filterRule);
  if (filter.sample !== undefined) {
    const s = section(filter.sample, 'processors.filter.sample', ['rate', 'by', 'keep_severity_at_least']);
    const rate = optNum(s, 'rate', 'processors.filter.sample');
    if (rate === undefined || !(rate > 0 && rate <= 1)) throw new JobscopeError('JS_CONFIG', 'processors.filter.sample.rate: expected a number in (0, 1]');
    c.filter.sample = { rate, ...defined({ by: optStr(s, 'by', 'processors.filter.sample'), keepSeverityAtLeast: optEnum(s, 'keep_severity_at_least', 'processors.filter.sample', LEVELS) }) };
  }

  if (root.exporters !== undefined) c.exporters = list(root.exporters, 'exporters').map(exporter);
  const server = optStr(root, 'server', '');
  const token = optStr(root, 'token', '');
  if (server !== undefined) setServerExporter(c, server, token);
  else if (token !== undefined) throw new JobscopeError('JS_CONFIG', 'token: given without server');

  const health = section(root.health, 'health', ['enabled', 'host', 'port']);
  c.health.enabled = optBool(health, 'enabled', 'health') ?? c.health.enabled;
  c.health.host = optStr(health, 'host', 'health') ?? c.health.host;
  if (health.port !== undefined) c.health.port = parsePortValue(health.port, 'health.port');
}

/** Adds or replaces the exporter named 'server' (the --server / JOBSCOPE_SERVER shorthand). */
export function setServerExporter(c: AgentConfig, endpoint: string, token: string | undefined): void {
  const prev = c.exporters.find((e) => e.name === 'server');
  const headers = { ...(prev?.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  const e: ExporterConfig = { name: 'server', endpoint, headers, batchIdHeader: prev?.batchIdHeader ?? DEFAULT_BATCH_ID_HEADER, compression: prev?.compression ?? 'gzip' };
  c.exporters = [e, ...c.exporters.filter((x) => x.name !== 'server')];
}

function list(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new JobscopeError('JS_CONFIG', `${path}: expected a list`);
  return v;
}

function exporter(v: unknown, i: number): ExporterConfig {
  const path = `exporters[${i}]`;
  const o = section(v, path, ['name', 'endpoint', 'headers', 'batch_id_header', 'compression']);
  const name = optStr(o, 'name', path);
  const endpoint = optStr(o, 'endpoint', path);
  if (!name || !endpoint) throw new JobscopeError('JS_CONFIG', `${path}: name and endpoint are required`);
  return {
    name,
    endpoint,
    headers: optStrMap(o, 'headers', path) ?? {},
    // batch_id_header: null (YAML `~`/`null`) turns the idempotency header off for other backends
    batchIdHeader: o.batch_id_header === null ? null : optStr(o, 'batch_id_header', path) ?? DEFAULT_BATCH_ID_HEADER,
    compression: optEnum(o, 'compression', path, ['gzip', 'none'] as const) ?? 'gzip',
  };
}

function redactPattern(v: unknown, i: number): RedactPatternConfig {
  const path = `processors.redact.patterns[${i}]`;
  const o = section(v, path, ['name', 'regex', 'flags', 'replacement']);
  const name = optStr(o, 'name', path);
  const regex = optStr(o, 'regex', path);
  if (!name || !regex) throw new JobscopeError('JS_CONFIG', `${path}: name and regex are required`);
  return { name, regex, ...defined({ flags: optStr(o, 'flags', path), replacement: optStr(o, 'replacement', path) }) };
}

function filterRule(v: unknown, i: number): FilterRuleConfig {
  const path = `processors.filter.rules[${i}]`;
  const o: Obj = section(v, path, ['action', 'field', 'equals', 'in', 'matches', 'exists']);
  const action = optEnum(o, 'action', path, ['drop', 'keep'] as const);
  const field = optStr(o, 'field', path);
  if (!action || !field) throw new JobscopeError('JS_CONFIG', `${path}: action (drop or keep) and field are required`);
  const rule: FilterRuleConfig = { action, field };
  if (o.equals !== undefined) {
    if (!['string', 'number', 'boolean'].includes(typeof o.equals)) throw new JobscopeError('JS_CONFIG', `${path}.equals: expected a scalar`);
    rule.equals = o.equals as string | number | boolean;
  }
  if (o.in !== undefined) {
    if (!Array.isArray(o.in) || !o.in.every((x) => typeof x === 'string' || typeof x === 'number')) throw new JobscopeError('JS_CONFIG', `${path}.in: expected a list of strings or numbers`);
    rule.in = o.in as Array<string | number>;
  }
  const matches = optStr(o, 'matches', path);
  if (matches !== undefined) rule.matches = matches;
  const exists = optBool(o, 'exists', path);
  if (exists !== undefined) rule.exists = exists;
  return rule;
}

function resolveGlob(baseDir: string, g: string): string {
  return g.startsWith('/') ? g : resolve(baseDir, g);
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Configuration of the redact processor. */
import { JobscopeError } from '@jobscope/core';

export interface RedactPatternConfig {
  /** Name in errors and in the redaction counters. A user pattern named like a default replaces it. */
  name: string;
  /** JavaScript regular expression source (matched globally). */
  regex: string;
  /** Flags other than g (added) and y: any of d i m s u v. */
  flags?: string;
  /** Replacement with String.replace's $1 / $<name> / $& / $$; default: the global replacement. */
  replacement?: string;
}

export interface RedactConfig {
  /** Patterns added to the defaults. */
  patterns: RedactPatternConfig[];
  /** Include the default patterns and keys (patterns.ts). */
  useDefaults: boolean;
  /** Attribute keys whose whole value is replaced (case-insensitive), added to the default keys. */
  keys: string[];
  /** What a secret is replaced with. */
  replacement: string;
}

export const DEFAULT_REDACT_CONFIG: Readonly<RedactConfig> = {
  patterns: [],
  useDefaults: true,
  keys: [],
  replacement: '[REDACTED]',
};

/** Attribute keys redacted by default (matched case-insensitively, whole key or its last dotted segment). */
export const DEFAULT_REDACT_KEYS: readonly string[] = [
  'authorization', 'api_key', 'apikey', 'api-key', 'password', 'passwd', 'secret', 'token', 'access_token',
  'refresh_token', 'x-api-key', 'cookie', 'set-cookie',
];

const FLAGS = /^[dimsuv]*$/;

export function validateRedactConfig(c: RedactConfig): void {
  const bad = (msg: string): never => { throw new JobscopeError('JS_CONFIG', `redact.${msg}`); };
  if (typeof c.useDefaults !== 'boolean') bad('useDefaults must be true or false');
  if (typeof c.replacement !== 'string') bad('replacement must be a string');
  if (!Array.isArray(c.keys) || c.keys.some((k) => typeof k !== 'string' || k === '')) bad('keys must be a list of non-empty strings');
  if (!Array.isArray(c.patterns)) bad('patterns must be a list');
  const names = new Set<string>();
  c.patterns.forEach((p: RedactPatternConfig, i) => {
    if (p === null || typeof p !== 'object') bad(`patterns[${i}] must be an object with name and regex`);
    const label = `patterns[${i}]${typeof p.name === 'string' ? ` "${p.name}"` : ''}`;
    if (typeof p.name !== 'string' || p.name.trim() === '') bad(`${label}: name must be a non-empty string`);
    if (names.has(p.name)) bad(`${label}: duplicate pattern name`);
    names.add(p.name);
    if (typeof p.regex !== 'string' || p.regex === '') bad(`${label}: regex must be a non-empty string`);
    if (p.flags !== undefined && (typeof p.flags !== 'string' || !FLAGS.test(p.flags))) bad(`${label}: flags may only contain d, i, m, s, u, v`);
    if (p.replacement !== undefined && typeof p.replacement !== 'string') bad(`${label}: replacement must be a string`);
    try {
      new RegExp(p.regex, `${p.flags ?? ''}g`);
    } catch (err) {
      bad(`${label}: invalid regex: ${(err as Error).message}`);
    }
  });
}

/**
 * Typed readers for untrusted config values: each names the exact key path
 * in its error, so a typo in agent.yaml fails at start with a precise line
 * rather than being ignored.
 */
import { JobscopeError } from '@jobscope/core';

export type Obj = Record<string, unknown>;

function fail(path: string, expected: string, v: unknown): never {
  throw new JobscopeError('JS_CONFIG', `${path}: expected ${expected}, got ${JSON.stringify(v) ?? String(v)}`);
}

/** The object at path (undefined/null → {}), rejecting keys not in `known`. */
export function section(v: unknown, path: string, known: readonly string[]): Obj {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) fail(path, 'a mapping', v);
  for (const k of Object.keys(v)) {
    if (!known.includes(k)) throw new JobscopeError('JS_CONFIG', `${path ? `${path}.` : ''}${k}: unknown setting (known: ${known.join(', ')})`);
  }
  return v as Obj;
}

export function optStr(o: Obj, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') fail(`${path}.${key}`, 'a string', v);
  return v;
}

export function optBool(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') fail(`${path}.${key}`, 'true or false', v);
  return v;
}

export function optNum(o: Obj, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}.${key}`, 'a number', v);
  return v;
}

export function optStrList(o: Obj, key: string, path: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) fail(`${path}.${key}`, 'a list of strings', v);
  return v as string[];
}

export function optEnum<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T | undefined {
  const v = optStr(o, key, path);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) fail(`${path}.${key}`, `one of ${values.join(', ')}`, v);
  return v as T;
}

export function optStrMap(o: Obj, key: string, path: string): Record<string, string> | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) fail(`${path}.${key}`, 'a mapping of strings', v);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Obj)) {
    if (typeof x !== 'string' && typeof x !== 'number') fail(`${path}.${key}.${k}`, 'a string', x);
    out[k] = String(x);
  }
  return out;
}

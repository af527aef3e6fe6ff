/** Sizes in config and flags: a number of bytes or "512MiB", "1GiB", "100MB", "64k". */
import { JobscopeError } from '@jobscope/core';

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 1024, kb: 1000, kib: 1024,
  m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1000 ** 4, tib: 1024 ** 4,
};

export function parseBytes(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
    const unit = m ? UNITS[(m[2] ?? '').toLowerCase()] : undefined;
    if (m && unit !== undefined) {
      const n = Math.floor(Number(m[1]) * unit);
      if (n > 0) return n;
    }
  }
  throw new JobscopeError('JS_CONFIG', `${what} must be a size such as 1073741824, "512MiB" or "1GiB" (got ${JSON.stringify(v)})`);
}

export function parsePortValue(v: unknown, what: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new JobscopeError('JS_CONFIG', `${what} must be a port number 0-65535 (got ${JSON.stringify(v)})`);
  }
  return n;
}

/**
 * Shared parsing of query-string parameters: time ranges, limits, cursors.
 * Every failure is a JS_BAD_REQUEST with a message naming the parameter.
 */
import { JobscopeError } from '@jobscope/core';

export interface TimeRange { fromNs: string; toNs: string }

const REL = /^now(?:-(\d+)(s|m|h|d|w))?$/;
const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** Accepts ISO 8601, epoch milliseconds, or `now` / `now-15m`. Returns epoch ms. */
export function parseTime(v: string, name: string): number {
  const rel = REL.exec(v);
  if (rel) return Date.now() - (rel[1] ? Number(rel[1]) * UNIT_MS[rel[2]!]! : 0);
  if (/^\d{10,16}$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new JobscopeError('JS_BAD_REQUEST', `${name} must be ISO 8601, epoch milliseconds or now-<n><s|m|h|d|w> (got '${v.slice(0, 40)}')`);
  return t;
}

export const msToNs = (ms: number): string => (BigInt(Math.floor(ms)) * 1_000_000n).toString();

export function timeRange(q: { from?: string; to?: string }, defaultSpanMs = 3_600_000): TimeRange & { fromMs: number; toMs: number } {
  const toMs = q.to ? parseTime(q.to, 'to') : Date.now() + 60_000;
  const fromMs = q.from ? parseTime(q.from, 'from') : toMs - defaultSpanMs;
  if (fromMs > toMs) throw new JobscopeError('JS_BAD_REQUEST', 'from must be before to');
  return { fromMs, toMs, fromNs: msToNs(fromMs), toNs: msToNs(toMs) };
}

export function parseLimit(v: string | undefined, def: number, max: number): number {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new JobscopeError('JS_BAD_REQUEST', `limit must be a whole number from 1 to ${max}`);
  return n;
}

/** Nanosecond unix time (decimal string) → RFC 3339 with nanoseconds. */
export function nsToIso(ns: string): string {
  const n = BigInt(ns || '0');
  const ms = Number(n / 1_000_000n);
  const frac = (n % 1_000_000_000n).toString().padStart(9, '0');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

/** Opaque pagination cursor: the last row's (timestamp ns, tie-break hash). */
export interface Cursor { ts: string; h: string }

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.ts}.${c.h}`).toString('base64url');
}

export function decodeCursor(v: string | undefined): Cursor | undefined {
  if (!v) return undefined;
  const m = /^(\d{1,20})\.(\d{1,20})$/.exec(Buffer.from(v, 'base64url').toString('utf8'));
  if (!m) throw new JobscopeError('JS_BAD_REQUEST', 'cursor is not one this server issued');
  return { ts: m[1]!, h: m[2]! };
}

/** Query-string values as single strings (repeated keys: the first). */
export function qs(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string') out[k] = s;
  }
  return out;
}

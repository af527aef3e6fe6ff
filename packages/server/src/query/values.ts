/**
 * Reading typed values out of query text: numbers, times, LIKE patterns.
 * Everything here returns plain values; compile-sql.ts binds them as params.
 */

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A finite decimal number (`5000`, `-1.5`, `2e3`), else undefined. No hex, no `Infinity`. */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export type TimeValue =
  /** An instant in unix nanoseconds; `day`: only a date was given (`2024-05-01`). */
  | { readonly kind: 'instant'; readonly ns: bigint; readonly day: boolean }
  /** `now`, `now-15m`, `now+1h`: seconds relative to the time the query runs. */
  | { readonly kind: 'now'; readonly offsetSeconds: number };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const RELATIVE = /^now(?:([+-])(\d{1,9})([smhdw]))?$/i;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const EPOCH = /^\d{1,19}$/;

export const NS_PER_DAY = 86_400_000_000_000n;

/**
 * A time: ISO-8601 (`2024-05-01`, `2024-05-01T10:00:00Z`,
 * `2024-05-01T10:00:00.123456789+02:00`; no zone = UTC), a unix epoch
 * (the digit count picks the unit: ≤10 s, ≤13 ms, ≤16 µs, else ns), or
 * `now` with an optional offset (`now-15m`; units s m h d w).
 */
export function parseTime(text: string): TimeValue | undefined {
  const rel = RELATIVE.exec(text);
  if (rel !== null) {
    if (rel[1] === undefined) return { kind: 'now', offsetSeconds: 0 };
    const secs = Number(rel[2]) * UNIT_SECONDS[rel[3].toLowerCase()];
    return { kind: 'now', offsetSeconds: rel[1] === '-' ? -secs : secs };
  }
  if (EPOCH.test(text)) {
    const digits = text.length;
    const n = BigInt(text);
    const ns = digits <= 10 ? n * 1_000_000_000n : digits <= 13 ? n * 1_000_000n : digits <= 16 ? n * 1000n : n;
    return ns > 9223372036854775807n ? undefined : { kind: 'instant', ns, day: false };
  }
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(ms);
  if (
    Number.isNaN(ms) || check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) || check.getUTCHours() !== Number(h) ||
    check.getUTCMinutes() !== Number(mi) || check.getUTCSeconds() !== Number(s)
  ) return undefined;
  let ns = BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1n : 1n;
    const digits = zone.slice(1).replace(':', '');
    const offMin = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
    ns -= sign * offMin * 60_000_000_000n;
  }
  if (ns < 0n) return undefined;
  return { kind: 'instant', ns, day: m[4] === undefined };
}

/** Escape LIKE's metacharacters (`%`, `_`, `\`) in a literal piece. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Wildcard parts → LIKE pattern: `['job-', '']` → `job-%`. */
export function likePattern(parts: readonly string[]): string {
  return parts.map(escapeLike).join('%');
}

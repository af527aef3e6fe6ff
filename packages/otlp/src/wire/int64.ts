/**
 * 64-bit integers as (lo, hi) 32-bit halves <-> decimal strings, without
 * BigInt on the hot path. JS numbers are exact only up to 2^53, and OTLP
 * nanosecond timestamps (~1.7e18) are far past that.
 */

const TWO_32 = 4294967296;

/** Unsigned 64-bit (lo, hi as uint32) to its decimal string. */
export function u64ToString(lo: number, hi: number): string {
  if (hi <= 0x1fffff) return String(hi * TWO_32 + lo); // below 2^53: exact
  // Split into 24:24:16 bits so that every partial product stays below 2^53,
  // then express the value in base 1e7: 2^24 = 1e7 + 6777216 and
  // 2^48 = 28147497 * 1e7 + 6710656.
  const low = lo & 0xffffff;
  const mid = ((lo >>> 24) | ((hi & 0xffff) << 8)) >>> 0;
  const high = hi >>> 16;
  let a = low + mid * 6777216 + high * 6710656;
  let b = mid + high * 28147497;
  b += Math.floor(a / 1e7);
  a %= 1e7;
  const tail = String(a);
  return String(b) + '0000000'.slice(tail.length) + tail;
}

/** Signed 64-bit (two's complement halves) to its decimal string. */
export function i64ToString(lo: number, hi: number): string {
  if ((hi & 0x80000000) === 0) return u64ToString(lo, hi);
  // negate: ~x + 1
  let nlo = (~lo + 1) >>> 0;
  let nhi = ~hi >>> 0;
  if (nlo === 0) nhi = (nhi + 1) >>> 0;
  return '-' + u64ToString(nlo, nhi);
}

/** Signed 64-bit halves to a JS number (rounded past 2^53, as the contract's `number` fields must). */
export function i64ToNumber(lo: number, hi: number): number {
  return (hi | 0) * TWO_32 + lo;
}

/**
 * A signed 64-bit AnyValue int: a number when exactly representable, else its
 * decimal string (precision wins over type; see types.ts AnyValue).
 */
export function i64ToAnyValue(lo: number, hi: number): number | string {
  const n = (hi | 0) * TWO_32 + lo;
  return Number.isSafeInteger(n) ? n : i64ToString(lo, hi);
}

const U64_MAX = '18446744073709551615';
const I64_MAX = '9223372036854775807';
const I64_MIN_ABS = '9223372036854775808';

/** True when s is only ASCII digits (non-empty). */
function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Compare two digit strings without leading zeros by numeric value. */
function lte(a: string, b: string): boolean {
  return a.length < b.length || (a.length === b.length && a <= b);
}

function stripZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return i === 0 ? s : s.slice(i);
}

/** A canonical uint64 decimal string, or undefined if s is not one. */
export function normalizeU64(s: string): string | undefined {
  if (!allDigits(s)) return undefined;
  const t = s.charCodeAt(0) === 48 ? stripZeros(s) : s;
  return lte(t, U64_MAX) ? t : undefined;
}

/** A canonical int64 decimal string (optional leading '-'), or undefined. */
export function normalizeI64(s: string): string | undefined {
  const neg = s.charCodeAt(0) === 45;
  const digits = neg ? s.slice(1) : s;
  if (!allDigits(digits)) return undefined;
  const t = stripZeros(digits);
  if (!lte(t, neg ? I64_MIN_ABS : I64_MAX)) return undefined;
  return neg && t !== '0' ? '-' + t : t;
}

/** Bits of a canonical (validated) decimal int64/uint64 string, two's complement when negative. */
export interface LongBits { low: number; high: number; unsigned: boolean }

export function decimalToBits(s: string, unsigned: boolean): LongBits {
  const neg = s.charCodeAt(0) === 45;
  const digits = neg ? s.length - 1 : s.length;
  let lo: number;
  let hi: number;
  if (digits <= 15) {
    // exact as a double
    const n = Number(neg ? s.slice(1) : s);
    lo = n % TWO_32;
    hi = Math.floor(n / TWO_32);
  } else {
    // n = H * 1e9 + L with H < 2^35; H = Hh * 2^16 + Hl keeps every product below 2^53
    const cut = s.length - 9;
    const h = Number(s.slice(neg ? 1 : 0, cut));
    const l = Number(s.slice(cut));
    const hl = h % 65536;
    const hh = (h - hl) / 65536;
    const a = hl * 1e9 + l;
    const b = hh * 1e9; // times 2^16
    const bLo = (b % 65536) * 65536;
    lo = (a % TWO_32) + bLo;
    hi = Math.floor(a / TWO_32) + Math.floor(b / 65536);
    if (lo >= TWO_32) { lo -= TWO_32; hi += 1; }
    hi %= TWO_32;
  }
  if (neg) {
    lo = (~lo + 1) >>> 0;
    hi = ~hi >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
  return { low: lo | 0, high: hi | 0, unsigned };
}

/**
 * Typed readers for OTLP/JSON field values (proto3 JSON mapping plus the
 * OTLP exceptions: trace/span ids are hex, not base64). Absent and null mean
 * the proto3 default. Each reader throws Malformed naming the field.
 */
import { Malformed } from '../wire/malformed.js';
import { normalizeI64, normalizeU64 } from '../wire/int64.js';

export type Obj = { [key: string]: unknown };

export function bad(field: string, expected: string, got: unknown): never {
  const m = new Malformed(`expected ${expected}, got ${describe(got)}`);
  if (field !== '') m.path.push(field);
  throw m;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string': return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
    case 'number': case 'boolean': return String(v);
    case 'object': return 'an object';
    default: return typeof v;
  }
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An optional nested message: undefined when absent/null. */
export function obj(v: unknown, field: string): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (isObj(v)) return v;
  return bad(field, 'an object', v);
}

/** A repeated field. */
export function arr(v: unknown, field: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (v === undefined || v === null) return [];
  return bad(field, 'an array', v);
}

/** o[camel], falling back to o[snake] (OTLP/JSON senders must use lowerCamelCase; some do not). */
export function get(o: Obj, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

export function str(v: unknown, field: string): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return bad(field, 'a string', v);
}

export function bool(v: unknown, field: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  return bad(field, 'a boolean', v);
}

const DIGITS = /^-?[0-9]+$/;

/** uint32 (counts, flags): a number or a decimal string. */
export function u32(v: unknown, field: string): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  } else if (typeof v === 'string') {
    const n = DIGITS.test(v) ? Number(v) : NaN;
    if (n >= 0 && n <= 0xffffffff) return n;
  } else if (v === undefined || v === null) return 0;
  return bad(field, 'a uint32', v);
}

/** int32 (sint32 scale/offset): a number or a decimal string. */
export function i32(v: unknown, field: string): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return v;
  } else if (typeof v === 'string') {
    const n = DIGITS.test(v) ? Number(v) : NaN;
    if (n >= -0x80000000 && n <= 0x7fffffff) return n;
  } else if (v === undefined || v === null) return 0;
  return bad(field, 'an int32', v);
}

/** An enum: its number, or its name from `names`. */
export function enumOf(v: unknown, names: Readonly<Record<string, number>>, field: string): number {
  if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(names, v)) return names[v];
  if (typeof v === 'string' && !DIGITS.test(v)) return bad(field, 'an enum number or name', v);
  return i32(v, field);
}

/** fixed64/uint64 as a canonical decimal string: a decimal string or a non-negative integer number. */
export function u64(v: unknown, field: string): string {
  if (typeof v === 'string') {
    const s = normalizeU64(v);
    if (s !== undefined) return s;
  } else if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && v >= 0) return String(v);
    // already rounded by JSON.parse; keep what we got, without exponent notation
    if (Number.isInteger(v) && v > 0 && v < 18446744073709551616) return BigInt(v).toString();
  } else if (v === undefined || v === null) return '0';
  return bad(field, 'a uint64 (decimal string or integer)', v);
}

/** int64 as a number (rounded past 2^53, as the contract's number fields are). */
export function i64Number(v: unknown, field: string): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v;
  } else if (typeof v === 'string') {
    const s = normalizeI64(v);
    if (s !== undefined) return Number(s);
  } else if (v === undefined || v === null) return 0;
  return bad(field, 'an int64 (decimal string or integer)', v);
}

/** int64 AnyValue: a number when exact, else the decimal string (see types.ts). */
export function i64Any(v: unknown, field: string): number | string {
  if (typeof v === 'string') {
    const s = normalizeI64(v);
    if (s !== undefined) {
      const n = Number(s);
      return Number.isSafeInteger(n) ? n : s;
    }
    return bad(field, 'an int64 (decimal string or integer)', v);
  }
  return i64Number(v, field);
}

/** double: a number, or a string ("NaN", "Infinity", "-Infinity", or decimal). */
export function dbl(v: unknown, field: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isNaN(n)) return n;
  } else if (v === undefined || v === null) return 0;
  return bad(field, 'a double', v);
}

const HEX = /^[0-9a-fA-F]*$/;
const ZERO = /^0*$/;

/** A trace/span id in hex: '' when absent, empty or all zero; lowercased. */
export function hexId(v: unknown, bytes: number, field: string): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || v.length !== bytes * 2 || !HEX.test(v)) {
    return bad(field, `${bytes * 2} hex characters`, v);
  }
  return ZERO.test(v) ? '' : v.toLowerCase();
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** bytes: base64 (standard or URL-safe, padding optional), returned canonical. */
export function base64(v: unknown, field: string): string {
  if (typeof v !== 'string' || !BASE64.test(v) || v.replace(/=+$/, '').length % 4 === 1) {
    return bad(field, 'base64 bytes', v);
  }
  return Buffer.from(v, 'base64').toString('base64');
}

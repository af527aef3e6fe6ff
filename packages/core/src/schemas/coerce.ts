/**
 * Coercion of one value to a FieldSpec. Allocation-free on the happy path
 * (the logger calls it for every typed field of every record): the result is
 * returned directly and a problem, if any, is left in a module slot that the
 * caller takes right after (single-threaded, synchronous).
 */
import type { FieldSpec } from './types.js';

/** Returned when the value cannot be used: drop the field, report the problem. */
export const INVALID: unique symbol = Symbol('invalid');

let problem: string | undefined;

/** The problem left by the last coerce() call, cleared by reading. */
export function takeProblem(): string | undefined {
  const p = problem;
  problem = undefined;
  return p;
}

export function coerce(name: string, spec: FieldSpec, v: unknown): unknown {
  switch (spec.type) {
    case 'string':
      if (typeof v === 'string') return spec.upper ? v.toUpperCase() : v;
      if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || typeof v === 'bigint') {
        return spec.upper ? String(v).toUpperCase() : String(v);
      }
      return fail(name, spec, v);
    case 'integer': {
      const n = toNumber(v);
      if (n === undefined || !Number.isInteger(n)) return fail(name, spec, v);
      return range(name, spec, n);
    }
    case 'number': {
      const n = toNumber(v);
      if (n === undefined) return fail(name, spec, v);
      return range(name, spec, n);
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      return toBoolean(name, spec, v);
    case 'object':
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
      return toObject(name, spec, v);
  }
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    if (v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

function range(name: string, spec: FieldSpec, n: number): number {
  if (spec.min !== undefined && n < spec.min) {
    problem = `${name}: ${n} below minimum ${spec.min} (clamped)`;
    return spec.min;
  }
  if (spec.max !== undefined && n > spec.max) {
    problem = `${name}: ${n} above maximum ${spec.max} (clamped)`;
    return spec.max;
  }
  return n;
}

const TRUE = new Set(['true', '1', 'yes', 'y', 'on']);
const FALSE = new Set(['false', '0', 'no', 'n', 'off']);

function toBoolean(name: string, spec: FieldSpec, v: unknown): unknown {
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  return fail(name, spec, v);
}

function toObject(name: string, spec: FieldSpec, v: unknown): unknown {
  if (typeof v === 'string' && v.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(v);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
    } catch {
      // reported below
    }
  }
  return fail(name, spec, v);
}

function fail(name: string, spec: FieldSpec, v: unknown): typeof INVALID {
  problem = `${name}: expected ${spec.type}, got ${preview(v)}`;
  return INVALID;
}

/** A short, safe rendering of a bad value for a schema error. */
export function preview(v: unknown): string {
  try {
    if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'array';
    return typeof v;
  } catch {
    return 'value';
  }
}

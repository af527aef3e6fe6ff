/**
 * Attribute flattening and alias normalization, shared by every signal.
 * Storage maps are Map(String, String): scalars become their text, arrays
 * and maps become JSON. Oversized values are cut (and the record marked)
 * rather than rejected: a bad attribute must not lose the record.
 */
import { ATTRIBUTE_ALIASES, type AttrMap } from '@jobscope/core';
import type { AnyValue, Attributes } from '@jobscope/otlp';

/** Longest attribute value kept, in UTF-16 code units. */
export const MAX_ATTRIBUTE_CHARS = 16 * 1024;
/** Longest log body kept. */
export const MAX_BODY_CHARS = 256 * 1024;
/** Attribute set on a record whose values were cut. */
export const TRUNCATED_ATTR = 'jobscope.truncated';

export function anyValueToString(v: AnyValue): string {
  switch (typeof v) {
    case 'string': return v;
    case 'number': return Number.isFinite(v) ? String(v) : '';
    case 'boolean': return v ? 'true' : 'false';
    default: return v === null ? '' : JSON.stringify(v);
  }
}

export function cut(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

/**
 * Flattens OTLP attributes into a string map with canonical key names.
 * An alias never overwrites a canonical key that is present too.
 */
export function flattenAttributes(attrs: Attributes, out: AttrMap = {}): AttrMap {
  let truncated = false;
  for (const key in attrs) {
    let value = anyValueToString(attrs[key] as AnyValue);
    if (value.length > MAX_ATTRIBUTE_CHARS) { value = value.slice(0, MAX_ATTRIBUTE_CHARS); truncated = true; }
    const canonical = ATTRIBUTE_ALIASES[key];
    if (canonical === undefined) out[key] = value;
    else if (!(canonical in attrs) && value !== '') out[canonical] = value;
  }
  if (truncated) out[TRUNCATED_ATTR] = 'true';
  return out;
}

/**
 * First non-empty value of the keys, record map first, then resource map.
 * Fixed arity (no rest array): it runs several times per record.
 */
export function pick(a: AttrMap, b: AttrMap, k1: string, k2?: string, k3?: string): string {
  return a[k1] || (k2 !== undefined && a[k2]) || (k3 !== undefined && a[k3])
    || b[k1] || (k2 !== undefined && b[k2]) || (k3 !== undefined && b[k3]) || '';
}

/**
 * The record's attributes as a string map. When every value is already a
 * string within the size limit and no key is an alias (the common case for
 * SDK-produced records), the decoded object is reused as it is: one object
 * and its copy fewer per record (measurably less garbage at ingest rates).
 */
export function recordAttributes(attrs: Attributes): { map: AttrMap; reused: boolean } {
  for (const key in attrs) {
    const v = attrs[key];
    if (typeof v !== 'string' || v.length > MAX_ATTRIBUTE_CHARS || ATTRIBUTE_ALIASES[key] !== undefined) {
      return { map: flattenAttributes(attrs), reused: false };
    }
  }
  return { map: attrs as AttrMap, reused: true };
}

/** OTLP id normalization: '' for absent, lowercase hex otherwise. */
export function normalizeId(id: string | undefined, hexLen: number): string {
  if (!id) return '';
  const s = id.toLowerCase();
  return s.length === hexLen && /^[0-9a-f]+$/.test(s) && !/^0+$/.test(s) ? s : '';
}

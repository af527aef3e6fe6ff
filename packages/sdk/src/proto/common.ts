/**
 * The OTLP common messages (AnyValue, KeyValue, Resource,
 * InstrumentationScope, fixed64 times) written with ProtoWriter, field by
 * field as the official otlp-transformer serializer writes them, so the
 * bytes are the same (logs-proto.test.ts compares them byte for byte).
 * Attribute keys repeat in every record: each key's bytes are made once per
 * process and copied after.
 */
import type { HrTime } from '@opentelemetry/api';

type Attrs = Readonly<Record<string, unknown>>;
import { encodedKey, ProtoWriter } from './writer.js';

export const LEN = 2;
export const VARINT = 0;
export const I64 = 1;
export const I32 = 5;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** Bytes of attribute keys seen so far (bounded: past it, keys are written each time). */
const KEYS = new Map<string, Buffer>();
const MAX_KEYS = 4096;

export interface ResourceLike { attributes: Attrs; schemaUrl?: string; asyncAttributesPending?: boolean }
export interface ScopeLike { name: string; version?: string; schemaUrl?: string; attributes?: Attrs; droppedAttributesCount?: number }

/** Encoded `Resource` messages (with tag 1 and length), per resource object. */
const RESOURCES = new WeakMap<object, Buffer>();

/** A resource as field 1 of ResourceLogs/ResourceSpans (tag, length, attributes, dropped count 0), cached per resource. */
export function resourceBytes(r: ResourceLike): Buffer {
  const cached = RESOURCES.get(r);
  if (cached) return cached;
  const w = new ProtoWriter(1024);
  w.tag(1, LEN);
  const m = w.begin();
  attributes(w, 1, r.attributes);
  w.tag(2, VARINT);
  w.varint(0);
  w.end(m);
  const out = w.finish();
  // a resource whose async attributes are still pending may change: only settled ones are cached
  if (!r.asyncAttributesPending) RESOURCES.set(r, out);
  return out;
}

/** An instrumentation scope as field 1 of ScopeLogs/ScopeSpans. */
export function scope(w: ProtoWriter, s: ScopeLike): void {
  w.tag(1, LEN);
  const m = w.begin();
  w.tag(1, LEN);
  w.string(s.name);
  if (s.version) { w.tag(2, LEN); w.string(s.version); }
  if (s.attributes) attributes(w, 3, s.attributes);
  if (s.droppedAttributesCount) { w.tag(4, VARINT); w.varint(s.droppedAttributesCount); }
  w.end(m);
}

/**
 * fixed64 nanoseconds of an HrTime [seconds, nanoseconds]: seconds split in
 * 16-bit halves so every product stays below 2^53, then added in 32-bit
 * halves with carry. The same arithmetic as the official serializer, so a
 * time past 2^64 ns wraps the same way too.
 */
export function time(w: ProtoWriter, field: number, t: HrTime): void {
  const s = t[0];
  const lo16 = (s & 0xffff) * 1e9;
  const hi = ((s / 0x10000) >>> 0) * 1e9;
  const low = (lo16 >>> 0) + (((hi & 0xffff) * 0x10000) >>> 0) + t[1];
  const high = Math.floor(lo16 / 0x100000000) + ((hi / 0x10000) >>> 0) + Math.floor(low / 0x100000000);
  w.tag(field, I64);
  w.fixed64(low >>> 0, high >>> 0);
}

/** One KeyValue (field `field`, repeated) per own key of attrs, in their order. */
export function attributes(w: ProtoWriter, field: number, attrs: Attrs): void {
  for (const key in attrs) {
    if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
    keyValue(w, field, key, attrs[key]);
  }
}

export function keyValue(w: ProtoWriter, field: number, key: string, v: unknown): void {
  let k = KEYS.get(key);
  if (k === undefined) {
    k = keyBytes(key);
    if (KEYS.size < MAX_KEYS) KEYS.set(key, k);
  }
  // Most attributes are short ASCII strings or small integers: written in one go, every length one byte.
  if (typeof v === 'string') {
    if (k.length + v.length + 3 < 128 && shortAsciiKeyValue(w, field, k, v)) return;
  } else if (typeof v === 'number' && v >= 0 && v < 0x80000000 && (v | 0) === v && k.length < 120) {
    smallIntKeyValue(w, field, k, v);
    return;
  }
  w.tag(field, LEN);
  const m = w.begin();
  w.raw(k);
  const vm = w.begin();
  anyValue(w, v);
  w.end(vm);
  w.end(m);
}

/** KeyValue.key's bytes followed by KeyValue.value's tag (the value's length comes next). */
function keyBytes(key: string): Buffer {
  const k = encodedKey(key);
  const out = Buffer.allocUnsafe(k.length + 1);
  k.copy(out);
  out[k.length] = (2 << 3) | LEN;
  return out;
}

/** tag, KeyValue length, key, value length, AnyValue{string_value}; false (nothing written) when v is not ASCII. */
function shortAsciiKeyValue(w: ProtoWriter, field: number, k: Buffer, v: string): boolean {
  const kl = k.length;
  const n = v.length;
  w.ensure(kl + n + 5);
  const b = w.buf;
  const at = w.pos;
  let p = at + 2;
  for (let i = 0; i < kl; i++) b[p++] = k[i]!;
  const valueLen = p;
  b[p + 1] = (1 << 3) | LEN;
  const s = p + 3;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c > 127) return false;
    b[s + i] = c;
  }
  b[at] = (field << 3) | LEN;
  b[at + 1] = kl + n + 3;
  b[valueLen] = n + 2;
  b[s - 1] = n;
  w.pos = s + n;
  return true;
}

/** tag, KeyValue length, key, value length, AnyValue{int_value} for 0 <= v < 2^31. */
function smallIntKeyValue(w: ProtoWriter, field: number, k: Buffer, v: number): void {
  const kl = k.length;
  w.ensure(kl + 10);
  const b = w.buf;
  const at = w.pos;
  let p = at + 2;
  for (let i = 0; i < kl; i++) b[p++] = k[i]!;
  const valueLen = p++;
  b[p++] = (3 << 3) | VARINT;
  const vs = p;
  while (v > 127) {
    b[p++] = (v & 127) | 128;
    v >>>= 7;
  }
  b[p++] = v;
  b[at] = (field << 3) | LEN;
  b[at + 1] = p - at - 2;
  b[valueLen] = p - vs + 1;
  w.pos = p;
}

/** The fields of one AnyValue (its tag and length are the caller's); null, undefined and other types write nothing. */
export function anyValue(w: ProtoWriter, v: unknown): void {
  if (v === null || v === undefined) return;
  switch (typeof v) {
    case 'string':
      w.tag(1, LEN);
      w.string(v);
      return;
    case 'boolean':
      w.tag(2, VARINT);
      w.varint(v ? 1 : 0);
      return;
    case 'number':
      // integers within int64 as intValue (as the official serializer, also past 2^53), others as doubleValue
      if (Number.isInteger(v) && v >= MIN_INT64 && v < MAX_INT64) { w.tag(3, VARINT); w.int64(v); }
      else { w.tag(4, I64); w.double(v); }
      return;
    case 'object':
      if (v instanceof Uint8Array) {
        w.tag(7, LEN);
        w.varint(v.length);
        w.raw(v);
      } else if (Array.isArray(v)) {
        w.tag(5, LEN);
        const m = w.begin();
        for (const x of v as unknown[]) {
          w.tag(1, LEN);
          const xm = w.begin();
          anyValue(w, x);
          w.end(xm);
        }
        w.end(m);
      } else {
        w.tag(6, LEN);
        const m = w.begin();
        attributes(w, 1, v as Attrs);
        w.end(m);
      }
  }
}

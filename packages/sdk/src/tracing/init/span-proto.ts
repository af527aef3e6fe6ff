/**
 * ReadableSpan[] → ExportTraceServiceRequest protobuf bytes in one pass
 * (ProtoWriter), grouped by resource and instrumentation scope as the
 * official ProtobufTraceSerializer groups them, with the same field rules
 * (span kind + 1, status code as is, flags = trace flags | HAS_IS_REMOTE |
 * IS_REMOTE of the parent, integers as intValue, other numbers as
 * doubleValue). Faster than the official serializer because it skips its
 * size-estimation pass and writes each attribute key's bytes once per
 * process (keys repeat in every span); a resource's bytes are cached too.
 * Parity with the official serializer is tested (span-proto.test.ts): both
 * decode to the same request.
 */
import type { Attributes, AttributeValue, HrTime, Link } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { encodedKey, ProtoWriter } from './proto-writer.js';

const LEN = 2;
const VARINT = 0;
const I64 = 1;
const I32 = 5;
const HAS_IS_REMOTE = 0x100;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
const IS_REMOTE = 0x200;

/** Bytes of attribute keys seen so far (bounded: past it, keys are written each time). */
const KEYS = new Map<string, Buffer>();
const MAX_KEYS = 4096;

type ResourceLike = ReadableSpan['resource'];
type ScopeLike = ReadableSpan['instrumentationScope'];

/** Encoded `Resource` message bodies (with tag and length), per resource object. */
const RESOURCES = new WeakMap<object, Buffer>();

export function encodeSpans(spans: readonly ReadableSpan[], w: ProtoWriter = new ProtoWriter()): Buffer {
  w.pos = 0;
  // resource → scope key → spans, in first-seen order (as the official serializer)
  const byResource = new Map<ResourceLike, Map<string, ReadableSpan[]>>();
  for (const s of spans) {
    let scopes = byResource.get(s.resource);
    if (!scopes) byResource.set(s.resource, (scopes = new Map()));
    const sc = s.instrumentationScope;
    const key = `${sc.name}@${sc.version ?? ''}:${sc.schemaUrl ?? ''}`;
    const list = scopes.get(key);
    if (list) list.push(s);
    else scopes.set(key, [s]);
  }
  for (const [resource, scopes] of byResource) {
    w.tag(1, LEN);
    const rs = w.begin();
    w.raw(resourceBytes(resource));
    for (const list of scopes.values()) {
      w.tag(2, LEN);
      const ss = w.begin();
      scope(w, list[0]!.instrumentationScope);
      for (const s of list) span(w, s);
      const url = list[0]!.instrumentationScope.schemaUrl;
      if (url) { w.tag(3, LEN); w.string(url); }
      w.end(ss);
    }
    const rurl = (resource as { schemaUrl?: string }).schemaUrl;
    if (rurl) { w.tag(3, LEN); w.string(rurl); }
    w.end(rs);
  }
  return w.finish();
}

function resourceBytes(r: ResourceLike): Buffer {
  const cached = RESOURCES.get(r);
  if (cached) return cached;
  const w = new ProtoWriter(1024);
  w.tag(1, LEN);
  const m = w.begin();
  attributes(w, 1, r.attributes);
  w.end(m);
  const out = w.finish();
  // a resource whose async attributes are still pending may change: only settled ones are cached
  if (!(r as { asyncAttributesPending?: boolean }).asyncAttributesPending) RESOURCES.set(r, out);
  return out;
}

function scope(w: ProtoWriter, s: ScopeLike): void {
  w.tag(1, LEN);
  const m = w.begin();
  if (s.name) { w.tag(1, LEN); w.string(s.name); }
  if (s.version) { w.tag(2, LEN); w.string(s.version); }
  const x = s as { attributes?: Attributes; droppedAttributesCount?: number };
  if (x.attributes) attributes(w, 3, x.attributes);
  if (x.droppedAttributesCount) { w.tag(4, VARINT); w.varint(x.droppedAttributesCount); }
  w.end(m);
}

function span(w: ProtoWriter, s: ReadableSpan): void {
  w.tag(2, LEN);
  const m = w.begin();
  const ctx = s.spanContext();
  id(w, 1, ctx.traceId, 16);
  id(w, 2, ctx.spanId, 8);
  const state = ctx.traceState?.serialize();
  if (state) { w.tag(3, LEN); w.string(state); }
  const parent = s.parentSpanContext;
  if (parent?.spanId) id(w, 4, parent.spanId, 8);
  w.tag(5, LEN);
  w.string(s.name);
  const kind = s.kind == null ? 0 : s.kind + 1;
  if (kind !== 0) { w.tag(6, VARINT); w.varint(kind); }
  time(w, 7, s.startTime);
  time(w, 8, s.endTime);
  attributes(w, 9, s.attributes);
  if (s.droppedAttributesCount) { w.tag(10, VARINT); w.varint(s.droppedAttributesCount); }
  for (const e of s.events) event(w, e);
  if (s.droppedEventsCount) { w.tag(12, VARINT); w.varint(s.droppedEventsCount); }
  for (const l of s.links) link(w, l);
  if (s.droppedLinksCount) { w.tag(14, VARINT); w.varint(s.droppedLinksCount); }
  w.tag(15, LEN);
  const st = w.begin();
  if (s.status.message) { w.tag(2, LEN); w.string(s.status.message); }
  w.tag(3, VARINT);
  w.varint(s.status.code);
  w.end(st);
  w.tag(16, I32);
  w.fixed32((ctx.traceFlags & 0xff) | HAS_IS_REMOTE | (parent?.isRemote ? IS_REMOTE : 0));
  w.end(m);
}

function event(w: ProtoWriter, e: TimedEvent): void {
  w.tag(11, LEN);
  const m = w.begin();
  time(w, 1, e.time);
  w.tag(2, LEN);
  w.string(e.name);
  if (e.attributes) attributes(w, 3, e.attributes);
  if (e.droppedAttributesCount) { w.tag(4, VARINT); w.varint(e.droppedAttributesCount); }
  w.end(m);
}

function link(w: ProtoWriter, l: Link): void {
  w.tag(13, LEN);
  const m = w.begin();
  id(w, 1, l.context.traceId, 16);
  id(w, 2, l.context.spanId, 8);
  const state = l.context.traceState?.serialize();
  if (state) { w.tag(3, LEN); w.string(state); }
  if (l.attributes) attributes(w, 4, l.attributes);
  if (l.droppedAttributesCount) { w.tag(5, VARINT); w.varint(l.droppedAttributesCount); }
  w.tag(6, I32);
  w.fixed32((l.context.traceFlags & 0xff) | HAS_IS_REMOTE | (l.context.isRemote ? IS_REMOTE : 0));
  w.end(m);
}

/** A trace or span id; one that is not hex of the right length is written byte for byte as the official serializer writes it. */
function id(w: ProtoWriter, field: number, hex: string, bytes: number): void {
  const at = w.pos;
  w.tag(field, LEN);
  if (w.hexBytes(hex, bytes)) return;
  w.pos = at;
  w.tag(field, LEN);
  const b = new Uint8Array(hex.length / 2); // the official hexToBinary, quirks included
  for (let i = 0, o = 0; i < hex.length; i += 2) b[o++] = (lenientHex(hex.charCodeAt(i)) << 4) | lenientHex(hex.charCodeAt(i + 1));
  w.varint(b.length);
  w.raw(b);
}

function lenientHex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return c - 55;
}

/** fixed64 nanoseconds of an HrTime [seconds, nanoseconds], without losing precision past 2^53. */
function time(w: ProtoWriter, field: number, t: HrTime): void {
  const s = t[0];
  const ns = t[1];
  const sLo = s % 65536;
  const sHi = (s - sLo) / 65536;
  const hiPart = sHi * 1e9; // < 2^46: exact; contributes hiPart * 2^16
  const low = (hiPart % 65536) * 65536 + sLo * 1e9 + ns; // < 2^48: exact
  const high = (hiPart - (hiPart % 65536)) / 65536 + Math.floor(low / 4294967296);
  w.tag(field, I64);
  w.fixed64(low % 4294967296, high);
}

function attributes(w: ProtoWriter, field: number, attrs: Attributes): void {
  for (const key in attrs) {
    if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
    const v = attrs[key];
    w.tag(field, LEN);
    const m = w.begin();
    let k = KEYS.get(key);
    if (k === undefined) {
      k = encodedKey(key);
      if (KEYS.size < MAX_KEYS) KEYS.set(key, k);
    }
    w.raw(k);
    w.tag(2, LEN);
    const vm = w.begin();
    anyValue(w, v);
    w.end(vm);
    w.end(m);
  }
}

/** The fields of one AnyValue (its tag and length are the caller's). */
function anyValue(w: ProtoWriter, v: AttributeValue | null | undefined): void {
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
    default:
      if ((v as unknown) instanceof Uint8Array) {
        const b = v as unknown as Uint8Array;
        w.tag(7, LEN);
        w.varint(b.length);
        w.raw(b);
      } else if (Array.isArray(v)) {
        w.tag(5, LEN);
        const m = w.begin();
        for (const x of v as (string | number | boolean | null | undefined)[]) {
          w.tag(1, LEN);
          const xm = w.begin();
          anyValue(w, x);
          w.end(xm);
        }
        w.end(m);
      } else if (typeof v === 'object') {
        w.tag(6, LEN);
        const m = w.begin();
        attributes(w, 1, v as unknown as Attributes);
        w.end(m);
      }
  }
}

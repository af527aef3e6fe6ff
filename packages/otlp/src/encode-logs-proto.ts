/**
 * ExportLogsServiceRequest straight to protobuf bytes with protobufjs's
 * Writer, without building the intermediate wire objects encodeRequest's
 * general path makes (three small objects per attribute): logs are the
 * agent's hot path (every Fluent, file and JSON record is re-encoded once).
 * Same rules as the general path (encode-build.ts): proto3 defaults left
 * out, integers within ±2^53 as intValue, invalid ids or 64-bit strings a
 * PermanentError. Parity with the general path is tested.
 */
import protobuf from 'protobufjs';
import { PermanentError } from '@jobscope/core';
import type { AnyValue, Attributes, ExportLogsServiceRequest, InstrumentationScope, LogRecord, Resource } from './types.js';
import { decimalToBits, normalizeU64 } from './wire/int64.js';

const { Writer } = protobuf;
type W = protobuf.Writer;

const LEN = 2;
const VARINT = 0;
const I64 = 1;
const I32 = 5;
const tag = (field: number, wire: number): number => (field << 3) | wire;
const HEX = /^[0-9a-fA-F]*$/;
const MAX_DEPTH = 64;

export function encodeLogsProto(req: ExportLogsServiceRequest): Uint8Array {
  return writeLogsProto(Writer.create(), req).finish();
}

/** Appends the request's bytes to `w` (which may hold a prefix already: one buffer, no copy). */
export function writeLogsProto(w: W, req: ExportLogsServiceRequest): W {
  for (const rl of req.resourceLogs) {
    w.uint32(tag(1, LEN)).fork();
    resource(w, rl.resource);
    for (const sl of rl.scopeLogs) {
      w.uint32(tag(2, LEN)).fork();
      scope(w, sl.scope);
      for (const l of sl.logRecords) logRecord(w, l);
      if (sl.schemaUrl !== '') w.uint32(tag(3, LEN)).string(sl.schemaUrl);
      w.ldelim();
    }
    if (rl.schemaUrl !== '') w.uint32(tag(3, LEN)).string(rl.schemaUrl);
    w.ldelim();
  }
  return w;
}

function resource(w: W, r: Resource): void {
  w.uint32(tag(1, LEN)).fork();
  keyValues(w, 1, r.attributes, 0);
  if (r.droppedAttributesCount !== 0) w.uint32(tag(2, VARINT)).uint32(r.droppedAttributesCount);
  w.ldelim();
}

function scope(w: W, s: InstrumentationScope): void {
  w.uint32(tag(1, LEN)).fork();
  if (s.name !== '') w.uint32(tag(1, LEN)).string(s.name);
  if (s.version !== '') w.uint32(tag(2, LEN)).string(s.version);
  keyValues(w, 3, s.attributes, 0);
  if (s.droppedAttributesCount !== 0) w.uint32(tag(4, VARINT)).uint32(s.droppedAttributesCount);
  w.ldelim();
}

function logRecord(w: W, l: LogRecord): void {
  w.uint32(tag(2, LEN)).fork();
  fixed64(w, 1, l.timeUnixNano, 'timeUnixNano');
  if (l.severityNumber !== 0) w.uint32(tag(2, VARINT)).int32(l.severityNumber);
  if (l.severityText !== '') w.uint32(tag(3, LEN)).string(l.severityText);
  if (l.body !== null && l.body !== undefined) {
    w.uint32(tag(5, LEN)).fork();
    anyValue(w, l.body, 0);
    w.ldelim();
  }
  keyValues(w, 6, l.attributes, 0);
  if (l.droppedAttributesCount !== 0) w.uint32(tag(7, VARINT)).uint32(l.droppedAttributesCount);
  if (l.flags !== 0) w.uint32(tag(8, I32)).fixed32(l.flags);
  id(w, 9, l.traceId, 16, 'traceId');
  id(w, 10, l.spanId, 8, 'spanId');
  fixed64(w, 11, l.observedTimeUnixNano, 'observedTimeUnixNano');
  if (l.eventName !== '') w.uint32(tag(12, LEN)).string(l.eventName);
  w.ldelim();
}

function fixed64(w: W, field: number, s: string, name: string): void {
  const n = normalizeU64(s);
  if (n === undefined) throw new PermanentError(`cannot encode ${name} ${JSON.stringify(s)}: expected a uint64 decimal string`);
  if (n === '0') return;
  w.uint32(tag(field, I64)).fixed64(decimalToBits(n, true) as unknown as number);
}

function id(w: W, field: number, hex: string, bytes: number, name: string): void {
  if (hex === '') return;
  if (hex.length !== bytes * 2 || !HEX.test(hex)) throw new PermanentError(`cannot encode ${name} ${JSON.stringify(hex)}: expected ${bytes * 2} hex characters`);
  w.uint32(tag(field, LEN)).bytes(Buffer.from(hex, 'hex'));
}

/** Repeated KeyValue in `field`. */
function keyValues(w: W, field: number, attrs: Attributes, depth: number): void {
  for (const key in attrs) {
    w.uint32(tag(field, LEN)).fork();
    if (key !== '') w.uint32(tag(1, LEN)).string(key);
    w.uint32(tag(2, LEN)).fork();
    anyValue(w, attrs[key] as AnyValue, depth);
    w.ldelim();
    w.ldelim();
  }
}

/** The fields of one AnyValue (the caller wrote its tag and fork). */
function anyValue(w: W, v: AnyValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new PermanentError(`cannot encode an AnyValue nested deeper than ${MAX_DEPTH} levels`);
  if (v === null || v === undefined) return;
  switch (typeof v) {
    case 'string':
      w.uint32(tag(1, LEN)).string(v);
      return;
    case 'boolean':
      w.uint32(tag(2, VARINT)).bool(v);
      return;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) w.uint32(tag(3, VARINT)).int64(v);
      else w.uint32(tag(4, I64)).double(v);
      return;
    default:
      if (Array.isArray(v)) {
        w.uint32(tag(5, LEN)).fork();
        for (const x of v) {
          w.uint32(tag(1, LEN)).fork();
          anyValue(w, x, depth + 1);
          w.ldelim();
        }
        w.ldelim();
      } else {
        w.uint32(tag(6, LEN)).fork();
        keyValues(w, 1, v, depth + 1);
        w.ldelim();
      }
  }
}

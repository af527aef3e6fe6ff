import { isUtf8 } from 'node:buffer';
import { Malformed } from './malformed.js';
import { u64ToString, i64ToString } from './int64.js';

/** Protobuf wire types. */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const SGROUP = 3;
export const EGROUP = 4;
export const I32 = 5;

const MAX_GROUP_DEPTH = 32;

/** The last fixed64String() conversion. */
let lastLo = 0;
let lastHi = 0;
let lastU64 = '0';

/** The intern table of key(): direct-mapped, 2048 slots (a collision just replaces). */
const INTERN_MASK = 2047;
const internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_MASK + 1).fill(undefined);

/**
 * Node's Buffer.prototype.{utf8,hex,base64}Slice skip toString()'s argument
 * handling (~15% faster on short strings); untyped in @types/node, so they
 * are reached through this view, with toString() as the fallback.
 */
interface Slices {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
  base64Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
const proto = Buffer.prototype as unknown as Partial<Slices>;
const hasSlices = typeof proto.utf8Slice === 'function' && typeof proto.hexSlice === 'function' && typeof proto.base64Slice === 'function' && typeof proto.latin1Slice === 'function';
function slices(buf: Buffer): Slices {
  if (hasSlices) return buf as unknown as Slices;
  return {
    utf8Slice: (s, e) => buf.toString('utf8', s, e),
    hexSlice: (s, e) => buf.toString('hex', s, e),
    base64Slice: (s, e) => buf.toString('base64', s, e),
    latin1Slice: (s, e) => buf.toString('latin1', s, e),
  };
}

/**
 * A bounds-checked protobuf cursor over one Buffer. Every read checks against
 * `end`, the end of the innermost message being decoded (so a sub-message
 * can never read into its parent's bytes), and throws Malformed when the
 * input is short. Hand-rolled rather than protobufjs's Reader because that
 * one neither validates UTF-8 nor keeps fixed64 values exact without Long
 * objects, and it is slower on this shape of data (see bench/).
 */
export class ProtoReader {
  readonly buf: Buffer;
  private readonly sl: Slices;
  pos = 0;
  end: number;
  /** Halves of the last readVarint64(). */
  lo = 0;
  hi = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
    this.sl = slices(buf);
    this.end = buf.length;
  }

  truncated(what: string): never {
    throw new Malformed(`truncated ${what} at byte ${this.pos}`);
  }

  /** A varint's low 32 bits as uint32 (longer varints are consumed whole). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    if (pos < end) {
      const b = buf[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.truncated('varint');
      const b = buf[pos++];
      if (shift < 32) result |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    throw new Malformed(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** int32 / enum: low 32 bits of the (sign-extended) varint, signed. */
  int32(): number {
    return this.uint32() | 0;
  }

  /** sint32 (zigzag). */
  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    this.readVarint64();
    return (this.lo | this.hi) !== 0;
  }

  /** Reads a varint into this.lo / this.hi (uint32 halves). */
  readVarint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.truncated('varint');
      const b = buf[pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    throw new Malformed(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  fixed32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.truncated('fixed32');
    const b = this.buf;
    this.pos = p + 4;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  }

  /** Reads 8 bytes into this.lo / this.hi. */
  readFixed64(): void {
    const p = this.pos;
    if (p + 8 > this.end) this.truncated('fixed64');
    const b = this.buf;
    this.lo = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    this.hi = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
    this.pos = p + 8;
  }

  /** fixed64 as an exact decimal string. */
  fixed64String(): string {
    this.readFixed64();
    // A record's timestamps are often equal (time and observed time): reuse the last string.
    if (this.lo === lastLo && this.hi === lastHi) return lastU64;
    lastLo = this.lo;
    lastHi = this.hi;
    return (lastU64 = u64ToString(this.lo, this.hi));
  }

  /** uint64 varint as an exact decimal string. */
  uint64String(): string {
    this.readVarint64();
    return u64ToString(this.lo, this.hi);
  }

  /** int64 varint as an exact decimal string. */
  int64String(): string {
    this.readVarint64();
    return i64ToString(this.lo, this.hi);
  }

  double(): number {
    const p = this.pos;
    if (p + 8 > this.end) this.truncated('double');
    this.pos = p + 8;
    return this.buf.readDoubleLE(p);
  }

  /**
   * Reads a length prefix and returns the end offset of the field's bytes,
   * checked against the current message's end. Does not move past the bytes.
   */
  lenEnd(): number {
    const len = this.uint32();
    const e = this.pos + len;
    if (len > 0x7fffffff || e > this.end) {
      const where = this.end === this.buf.length ? 'the body' : 'its enclosing message';
      throw new Malformed(`truncated: length ${len} at byte ${this.pos} runs past the end of ${where} (byte ${this.end})`);
    }
    return e;
  }

  /** Enter a length-delimited sub-message; returns the parent's end to pass to leave(). */
  enter(): number {
    const e = this.lenEnd();
    const parentEnd = this.end;
    this.end = e;
    return parentEnd;
  }

  leave(parentEnd: number): void {
    this.pos = this.end;
    this.end = parentEnd;
  }

  /** A length-delimited UTF-8 string; invalid UTF-8 throws. */
  string(): string {
    const e = this.lenEnd();
    const s = this.pos;
    this.pos = e;
    return this.utf8(s, e);
  }

  /** Bytes s..e as validated UTF-8. */
  private utf8(s: number, e: number): string {
    if (e === s) return '';
    const str = this.sl.utf8Slice(s, e);
    // utf8Slice maps invalid sequences to U+FFFD; only then pay for a strict check
    // (the text may also hold a legitimate U+FFFD).
    if (str.indexOf('\uFFFD') !== -1 && !isUtf8(this.buf.subarray(s, e))) {
      throw new Malformed(`invalid UTF-8 in string field at byte ${s}`);
    }
    return str;
  }

  /**
   * A short string that repeats across records (attribute keys, severity
   * text): served from a small module-wide intern table when the bytes match,
   * which skips both the UTF-8 decode and V8's internalization of the key on
   * the property store. Only ASCII strings of at most 48 bytes are interned.
   */
  key(): string {
    const e = this.lenEnd();
    const s = this.pos;
    const n = e - s;
    if (n > 48 || n === 0) {
      this.pos = e;
      return this.utf8(s, e);
    }
    const b = this.buf;
    let h = n;
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c > 0x7f) {
        this.pos = e;
        return this.utf8(s, e);
      }
      h = Math.imul(h ^ c, 0x01000193);
    }
    const slot = (h ^ (h >>> 15)) & INTERN_MASK;
    const cached = internTable[slot];
    if (cached !== undefined && cached.length === n) {
      let i = 0;
      while (i < n && cached.charCodeAt(i) === b[s + i]) i++;
      if (i === n) {
        this.pos = e;
        return cached;
      }
    }
    const str = this.sl.latin1Slice(s, e); // ASCII: latin1 decoding is exact and cheaper
    internTable[slot] = str;
    this.pos = e;
    return str;
  }

  /** Length-delimited bytes as base64. */
  bytesBase64(): string {
    const e = this.lenEnd();
    const s = this.pos;
    this.pos = e;
    return this.sl.base64Slice(s, e);
  }

  /** A trace/span id: '' when empty or all zero; `size` bytes else Malformed. */
  id(size: number, what: string): string {
    const e = this.lenEnd();
    const s = this.pos;
    this.pos = e;
    const n = e - s;
    if (n === 0) return '';
    if (n !== size) throw new Malformed(`${what} must be ${size} bytes, got ${n}`);
    const b = this.buf;
    for (let i = s; i < e; i++) if (b[i] !== 0) return this.sl.hexSlice(s, e);
    return '';
  }

  /** Skip a field's value of the given wire type. */
  skip(wireType: number, depth = 0): void {
    switch (wireType) {
      case VARINT:
        this.readVarint64();
        return;
      case I64:
        if (this.pos + 8 > this.end) this.truncated('fixed64');
        this.pos += 8;
        return;
      case LEN:
        this.pos = this.lenEnd();
        return;
      case I32:
        if (this.pos + 4 > this.end) this.truncated('fixed32');
        this.pos += 4;
        return;
      case SGROUP: {
        // deprecated groups: skip to the matching end-group tag
        if (depth >= MAX_GROUP_DEPTH) throw new Malformed(`groups nested too deeply at byte ${this.pos}`);
        for (;;) {
          const tag = this.tag();
          const wt = tag & 7;
          if (wt === EGROUP) return;
          this.skip(wt, depth + 1);
        }
      }
      default:
        throw new Malformed(`invalid wire type ${wireType} at byte ${this.pos}`);
    }
  }

  /** Reads a tag; field number 0 is invalid. */
  tag(): number {
    const t = this.uint32();
    if (t >>> 3 === 0) throw new Malformed(`invalid field number 0 at byte ${this.pos}`);
    return t;
  }
}

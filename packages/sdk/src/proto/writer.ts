/**
 * A single-pass protobuf writer into one growable Buffer, for the log and
 * span encoders (logs.ts, tracing/init/span-proto.ts). Nested messages reserve one length byte and are
 * fixed up at the end (shifting the bytes when the length needs more), so
 * there is no size-estimation pass and no object per field. Strings that
 * repeat in every span (attribute keys) are encoded once and copied after.
 */

const TWO_32 = 4294967296;

export class ProtoWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** An unsigned varint below 2^53. */
  varint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (v >= 128) {
      b[p++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    b[p++] = v;
    this.pos = p;
  }

  /** A 64-bit varint from its two's-complement halves (int64 of a negative number: 10 bytes). */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi > 0 || lo > 127) {
      b[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    b[p++] = lo;
    this.pos = p;
  }

  /** An int64 field's value from an integral number within int64 (negative numbers as 64-bit two's complement). */
  int64(v: number): void {
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
      this.varint(v);
      return;
    }
    const hi = Math.floor(v / TWO_32); // exact: v is an integral double, 2^32 a power of two
    this.varint64(v - hi * TWO_32, hi);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  fixed32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(lo: number, hi: number): void {
    this.ensure(8);
    this.buf.writeUInt32LE(lo >>> 0, this.pos);
    this.buf.writeUInt32LE(hi >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** A length-delimited UTF-8 string. */
  string(s: string): void {
    const len = s.length;
    if (len < 43) {
      // at most 127 bytes: one length byte
      this.ensure(1 + len * 3);
      const b = this.buf;
      const start = this.pos + 1;
      // Short ASCII strings byte by byte: cheaper than a call into the UTF-8 encoder.
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c > 127) break;
        b[start + i] = c;
      }
      const n = i === len ? len : b.write(s, start, 'utf8');
      b[this.pos] = n;
      this.pos = start + n;
      return;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.ensure(n);
    this.buf.write(s, this.pos, n, 'utf8');
    this.pos += n;
  }

  /** Length-delimited bytes from a hex string of `bytes` bytes; false (nothing written) when it is not one. */
  hexBytes(hex: string, bytes: number): boolean {
    if (hex.length !== bytes * 2) return false;
    this.ensure(1 + bytes);
    const start = this.pos;
    this.buf[start] = bytes;
    // Node's hex decoder stops at the first character that is not hex: a short count means a bad id
    if (this.buf.write(hex, start + 1, bytes, 'hex') !== bytes) return false;
    this.pos = start + 1 + bytes;
    return true;
  }

  /** Copies pre-encoded bytes. */
  raw(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(n);
    if (n < 32) {
      // a few bytes (an attribute key): a loop beats set()'s call overhead
      const b = this.buf;
      const p = this.pos;
      for (let i = 0; i < n; i++) b[p + i] = bytes[i]!;
    } else {
      this.buf.set(bytes, this.pos);
    }
    this.pos += n;
  }

  /** Starts a nested message (its tag already written): reserves one length byte; returns the mark for end(). */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the nested message begun at `mark`: writes its length, shifting the content if it needs more than a byte. */
  end(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 128) {
      this.buf[mark] = len;
      return;
    }
    let extra = 0;
    for (let v = len; v >= 128; v = Math.floor(v / 128)) extra++;
    this.ensure(extra);
    this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    let v = len;
    let p = mark;
    while (v >= 128) {
      this.buf[p++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
    this.pos += extra;
  }

  /** The bytes written so far (a copy: the writer may be reused). */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

/** `key` as the bytes of KeyValue.key (field 1: tag, length, UTF-8), for copying. */
export function encodedKey(key: string): Buffer {
  const w = new ProtoWriter(16 + key.length * 3);
  w.tag(1, 2);
  w.string(key);
  return w.finish();
}

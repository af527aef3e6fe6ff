/**
 * Splitting a TCP byte stream into whole msgpack values without decoding
 * them. The scanner walks headers only (a count of values still to read is
 * its whole state), resumes where it stopped when more bytes arrive, and
 * rejects a message as soon as its headers show it would exceed the limit,
 * so one connection never buffers more than about maxMessageBytes and a
 * large message is not re-parsed once per TCP chunk.
 */

export class FrameError extends Error {
  constructor(readonly kind: 'malformed' | 'oversize', message: string) {
    super(message);
    this.name = 'FrameError';
  }
}

/** Header length and the payload bytes / child values that follow it, or undefined when the header is incomplete. */
function header(b: Uint8Array, p: number, end: number): { len: number; payload: number; children: number } | undefined {
  const t = b[p]!;
  if (t <= 0x7f || t >= 0xe0) return { len: 1, payload: 0, children: 0 };
  if (t <= 0x8f) return { len: 1, payload: 0, children: 2 * (t & 0x0f) };
  if (t <= 0x9f) return { len: 1, payload: 0, children: t & 0x0f };
  if (t <= 0xbf) return { len: 1, payload: t & 0x1f, children: 0 };
  const need = (n: number): boolean => p + n <= end;
  const u8 = (): number => b[p + 1]!;
  const u16 = (): number => (b[p + 1]! << 8) | b[p + 2]!;
  const u32 = (): number => b[p + 1]! * 0x1000000 + ((b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
  switch (t) {
    case 0xc0: case 0xc2: case 0xc3: return { len: 1, payload: 0, children: 0 };
    case 0xc1: throw new FrameError('malformed', 'invalid msgpack byte 0xc1');
    case 0xc4: case 0xd9: return need(2) ? { len: 2, payload: u8(), children: 0 } : undefined; // bin8 / str8
    case 0xc5: case 0xda: return need(3) ? { len: 3, payload: u16(), children: 0 } : undefined; // bin16 / str16
    case 0xc6: case 0xdb: return need(5) ? { len: 5, payload: u32(), children: 0 } : undefined; // bin32 / str32
    case 0xc7: return need(2) ? { len: 3, payload: u8(), children: 0 } : undefined; // ext8 (len, type)
    case 0xc8: return need(3) ? { len: 4, payload: u16(), children: 0 } : undefined; // ext16
    case 0xc9: return need(5) ? { len: 6, payload: u32(), children: 0 } : undefined; // ext32
    case 0xca: return { len: 5, payload: 0, children: 0 };
    case 0xcb: return { len: 9, payload: 0, children: 0 };
    case 0xcc: case 0xd0: return { len: 2, payload: 0, children: 0 };
    case 0xcd: case 0xd1: return { len: 3, payload: 0, children: 0 };
    case 0xce: case 0xd2: return { len: 5, payload: 0, children: 0 };
    case 0xcf: case 0xd3: return { len: 9, payload: 0, children: 0 };
    case 0xd4: return { len: 3, payload: 0, children: 0 }; // fixext1 .. fixext16 (type + data)
    case 0xd5: return { len: 4, payload: 0, children: 0 };
    case 0xd6: return { len: 6, payload: 0, children: 0 };
    case 0xd7: return { len: 10, payload: 0, children: 0 };
    case 0xd8: return { len: 18, payload: 0, children: 0 };
    case 0xdc: return need(3) ? { len: 3, payload: 0, children: u16() } : undefined; // array16
    case 0xdd: return need(5) ? { len: 5, payload: 0, children: u32() } : undefined; // array32
    case 0xde: return need(3) ? { len: 3, payload: 0, children: 2 * u16() } : undefined; // map16
    default: return need(5) ? { len: 5, payload: 0, children: 2 * u32() } : undefined; // 0xdf map32
  }
}

/**
 * Finds where the next whole msgpack value ends in a buffer that starts at a
 * value boundary. Feed it the same (growing) buffer until it returns a length;
 * then reset() before the next value.
 */
export class MessageScanner {
  private pos = 0;
  private remaining = 1;

  constructor(private readonly limit: number) {}

  reset(): void {
    this.pos = 0;
    this.remaining = 1;
  }

  /** Bytes of the first complete value of `b`, or 0 when more bytes are needed. Throws FrameError. */
  scan(b: Uint8Array): number {
    const end = b.length;
    while (this.remaining > 0) {
      if (this.pos >= end) return 0;
      const h = header(b, this.pos, end);
      if (h === undefined) return 0;
      const size = this.pos + h.len + h.payload;
      // Every value still owed needs at least one byte: a huge count in a tiny message is oversize too.
      if (size > this.limit || size + this.remaining - 1 + h.children > this.limit) {
        throw new FrameError('oversize', `message exceeds ${this.limit} bytes`);
      }
      if (size > end) return 0;
      this.pos = size;
      this.remaining += h.children - 1;
    }
    return this.pos;
  }
}

/** Byte ranges [start, end) of the elements of the array that `b` holds, or undefined if `b` is not an array. */
export function arrayElements(b: Uint8Array): Array<[number, number]> | undefined {
  const t = b[0];
  let n: number;
  let p: number;
  if (t === undefined) return undefined;
  if (t >= 0x90 && t <= 0x9f) { n = t & 0x0f; p = 1; }
  else if (t === 0xdc && b.length >= 3) { n = (b[1]! << 8) | b[2]!; p = 3; }
  else if (t === 0xdd && b.length >= 5) { n = b[1]! * 0x1000000 + ((b[2]! << 16) | (b[3]! << 8) | b[4]!); p = 5; }
  else return undefined;
  if (n > b.length) throw new FrameError('malformed', 'array longer than its message');
  const out: Array<[number, number]> = [];
  const s = new MessageScanner(b.length);
  for (let i = 0; i < n; i++) {
    s.reset();
    const len = s.scan(b.subarray(p));
    if (len === 0) throw new FrameError('malformed', 'truncated array element');
    out.push([p, p + len]);
    p += len;
  }
  return out;
}

/** The payload of a str or bin value (no copy), or undefined for any other type. */
export function rawBytes(v: Uint8Array): Uint8Array | undefined {
  const t = v[0];
  if (t === undefined) return undefined;
  const h = (t >= 0xa0 && t <= 0xbf) || t === 0xc4 || t === 0xc5 || t === 0xc6 || t === 0xd9 || t === 0xda || t === 0xdb
    ? header(v, 0, v.length) : undefined;
  if (h === undefined || h.len + h.payload > v.length) return undefined;
  return v.subarray(h.len, h.len + h.payload);
}

/** True when the value starts with an array header. */
export function isArrayHeader(t: number | undefined): boolean {
  return t !== undefined && ((t >= 0x90 && t <= 0x9f) || t === 0xdc || t === 0xdd);
}

/**
 * A growable byte buffer of one connection: appended at the end, consumed at
 * the front. Compacts in place and only grows to what is actually buffered.
 */
export class ByteQueue {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  /** `softCap`: capacity is doubled as needed but not beyond this (unless one append needs more). */
  constructor(private readonly softCap = Number.MAX_SAFE_INTEGER) {}

  get length(): number {
    return this.end - this.start;
  }

  /** The buffered bytes (a view, valid until the next append / take). */
  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) {
      const need = this.length + chunk.length;
      if (need <= this.buf.length && this.start > 0) {
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        const next = Buffer.allocUnsafe(Math.max(need, Math.min(Math.max(this.buf.length * 2, 64 * 1024), this.softCap)));
        this.buf.copy(next, 0, this.start, this.end);
        this.buf = next;
      }
      this.end = this.length;
      this.start = 0;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Removes and returns (a copy of) the first `n` bytes. */
  take(n: number): Buffer {
    const out = Buffer.from(this.buf.subarray(this.start, this.start + n));
    this.start += n;
    if (this.start === this.end) {
      this.start = this.end = 0;
      if (this.buf.length > 1 << 20) this.buf = Buffer.alloc(0); // an idle connection keeps no large buffer
    }
    return out;
  }
}

/**
 * JSONEachRow rendering: one JSON line per row, written straight into
 * buffers (measured ~30 % cheaper than concatenating a big string and
 * encoding it at the end). Rows go into fixed-size chunks, never split
 * across two, so a growing table never copies what it already holds; the
 * chunks are joined once, for the insert.
 */
const CHUNK_BYTES = 4 * 1024 * 1024;

export class JsonRows {
  readonly #chunkBytes: number;
  readonly #full: Buffer[] = [];
  #buf: Buffer | null = null;
  #off = 0;
  #joined: Buffer | null = null;
  /** Rendered bytes and rows so far. */
  bytes = 0;
  rows = 0;

  constructor(chunkBytes = CHUNK_BYTES) {
    this.#chunkBytes = chunkBytes;
  }

  /** Renders rows; returns the bytes they took. */
  add(rows: readonly object[]): number {
    const before = this.bytes;
    for (const r of rows) this.#line(JSON.stringify(r));
    this.rows += rows.length;
    return this.bytes - before;
  }

  /** Appends already rendered JSONEachRow data (a write-ahead record of an older server). */
  addRendered(data: Buffer, rows: number): void {
    this.#room(data.length);
    data.copy(this.#buf!, this.#off);
    this.#off += data.length;
    this.bytes += data.length;
    this.rows += rows;
    this.#joined = null;
  }

  /** Everything rendered, as one buffer (joined once; the same buffer on a retry). */
  toBuffer(): Buffer {
    if (this.#joined) return this.#joined;
    const last = this.#buf ? this.#buf.subarray(0, this.#off) : null;
    const parts = last ? [...this.#full, last] : this.#full;
    this.#joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.bytes);
    return this.#joined;
  }

  #line(s: string): void {
    // A JS string of n UTF-16 units is at most 3n bytes of UTF-8, plus the newline.
    this.#room(s.length * 3 + 1);
    const buf = this.#buf!;
    const n = buf.write(s, this.#off, 'utf8');
    buf[this.#off + n] = 10;
    this.#off += n + 1;
    this.bytes += n + 1;
    this.#joined = null;
  }

  #room(n: number): void {
    if (this.#buf && this.#off + n <= this.#buf.length) return;
    if (this.#buf) this.#full.push(this.#buf.subarray(0, this.#off));
    this.#buf = Buffer.allocUnsafe(Math.max(this.#chunkBytes, n));
    this.#off = 0;
  }
}

/** Renders rows as one JSONEachRow buffer. */
export function toJsonEachRow(rows: readonly object[]): Buffer {
  const out = new JsonRows(Math.max(4096, Math.min(CHUNK_BYTES, rows.length * 512)));
  out.add(rows);
  return out.toBuffer();
}

/**
 * Splits a file into lines, reading it in 64 KiB chunks from a position
 * (never the whole file in memory). A line is returned only once its '\n'
 * has been read; the bytes of an unfinished last line are kept (at most
 * maxLineBytes of them, the rest of an over-long line is skipped) and
 * completed by later reads. Each line carries the file offset just after its
 * '\n': the offset to persist once the line has been delivered.
 */
export const CHUNK_BYTES = 64 * 1024;

const NL = 0x0a;
const CR = 0x0d;

export interface Line {
  /** The line without its '\n' (and without a trailing '\r'), cut to maxLineBytes when longer. */
  text: string;
  /** The line was longer than maxLineBytes and has been cut. */
  truncated: boolean;
  /** Bytes of `text` (UTF-8). */
  size: number;
  /** File offset just after the line's '\n' (or after its last byte for an unfinished last line). */
  end: number;
}

export interface ReadResult {
  lines: Line[];
  /** Bytes read from the file by this call. */
  bytesRead: number;
  /** Every byte up to the size given has been consumed (only an unfinished line may be left). */
  eof: boolean;
}

/** What the reader needs of a fs.promises FileHandle. */
export interface ReadSource {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

export class LineReader {
  readonly #max: number;
  #pos: number;
  #lineStart: number;
  #chunk: Buffer | null = null;
  #chunkOff = 0;
  #chunkStart = 0;
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #lineBytes = 0;
  #lastByte = -1;
  /** A complete line held back because it would have overflowed the previous batch's byte budget. */
  #held: Line | null = null;

  constructor(start: number, maxLineBytes: number) {
    this.#max = maxLineBytes;
    this.#pos = start;
    this.#lineStart = start;
  }

  /** File offset of the next byte to read. */
  get position(): number {
    return this.#pos;
  }

  /** File offset where the unfinished line (if any) starts: everything before it has been returned. */
  get lineStart(): number {
    return this.#lineStart;
  }

  /** Bytes of the unfinished line read so far. */
  get pendingBytes(): number {
    return this.#lineBytes;
  }

  /** Start over at `offset`, forgetting what was buffered. */
  reset(offset: number): void {
    this.#pos = offset;
    this.#lineStart = offset;
    this.#chunk = null;
    this.#held = null;
    this.#clearLine();
  }

  /**
   * Up to maxLines complete lines holding at most maxBytes bytes of text
   * (but always one line when one is complete), reading the file up to `size`.
   */
  async read(src: ReadSource, size: number, maxLines: number, maxBytes: number): Promise<ReadResult> {
    const lines: Line[] = [];
    let bytes = 0;
    let bytesRead = 0;
    let eof = false;
    if (this.#held !== null) {
      lines.push(this.#held);
      bytes += this.#held.size;
      this.#held = null;
    }
    while (lines.length < maxLines && bytes < maxBytes) {
      if (this.#chunk === null) {
        const want = Math.min(CHUNK_BYTES, size - this.#pos);
        if (want <= 0) { eof = true; break; }
        const buf = Buffer.allocUnsafe(want);
        const { bytesRead: n } = await src.read(buf, 0, want, this.#pos);
        if (n === 0) { eof = true; break; }
        this.#chunk = buf.subarray(0, n);
        this.#chunkOff = 0;
        this.#chunkStart = this.#pos;
        this.#pos += n;
        bytesRead += n;
      }
      const chunk = this.#chunk;
      const nl = chunk.indexOf(NL, this.#chunkOff);
      if (nl < 0) {
        this.#append(chunk.subarray(this.#chunkOff));
        this.#chunk = null;
        continue;
      }
      const piece = chunk.subarray(this.#chunkOff, nl);
      this.#chunkOff = nl + 1;
      if (this.#chunkOff >= chunk.length) this.#chunk = null;
      const line = this.#finish(piece, this.#chunkStart + nl + 1);
      if (lines.length > 0 && bytes + line.size > maxBytes) {
        this.#held = line;
        break;
      }
      lines.push(line);
      bytes += line.size;
    }
    if (this.#chunk === null && this.#held === null && this.#pos >= size) eof = true;
    return { lines, bytesRead, eof };
  }

  /**
   * The unfinished last line as a line, for a file that is finished (rotated
   * away or deleted and read to its end); null when there is none.
   */
  takeRest(): Line | null {
    if (this.#chunk !== null) {
      this.#append(this.#chunk.subarray(this.#chunkOff));
      this.#chunk = null;
    }
    if (this.#lineBytes === 0) return null;
    return this.#finish(Buffer.alloc(0), this.#lineStart + this.#lineBytes);
  }

  #clearLine(): void {
    this.#partial = [];
    this.#partialBytes = 0;
    this.#lineBytes = 0;
    this.#lastByte = -1;
  }

  /** Keeps bytes of the unfinished line (copied: chunks are not kept alive for a few bytes). */
  #append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.#lineBytes += piece.length;
    this.#lastByte = piece[piece.length - 1];
    const room = this.#max - this.#partialBytes;
    if (room <= 0) return;
    const take = piece.subarray(0, Math.min(room, piece.length));
    this.#partial.push(Buffer.from(take));
    this.#partialBytes += take.length;
  }

  #finish(piece: Buffer, end: number): Line {
    const total = this.#lineBytes + piece.length;
    const last = piece.length > 0 ? piece[piece.length - 1] : this.#lastByte;
    const effective = total > 0 && last === CR ? total - 1 : total;
    let content: Buffer;
    if (this.#partialBytes === 0 && piece.length <= this.#max) {
      content = piece;
    } else {
      const room = Math.max(0, this.#max - this.#partialBytes);
      content = Buffer.concat([...this.#partial, piece.subarray(0, Math.min(room, piece.length))]);
    }
    const truncated = effective > this.#max;
    if (truncated) content = content.subarray(0, completeUtf8Length(content));
    else if (content.length > 0 && content[content.length - 1] === CR) content = content.subarray(0, content.length - 1);
    this.#clearLine();
    this.#lineStart = end;
    return { text: content.toString('utf8'), truncated, size: content.length, end };
  }
}

/** Length of the longest prefix of `buf` that does not end inside a UTF-8 sequence. */
export function completeUtf8Length(buf: Buffer): number {
  let i = buf.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (buf[i] & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return buf.length;
  const lead = buf[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return buf.length - i >= need ? buf.length : i;
}

/**
 * In-memory metadata of the segment files, shared by the writer, the cursors
 * and garbage collection. O(segments) memory; no record index.
 */
import { join } from 'node:path';
import { segmentFileName } from './format.js';

export class Segment {
  readonly firstSeq: number;
  readonly path: string;
  /** Bytes of complete, acknowledged-to-the-appender frames (the readable end). */
  size: number;
  /** Last seq in the file: exact for the active one, an upper bound for older ones. */
  lastSeq: number;
  /** True for the one file the writer appends to. */
  active = false;
  /** Set (synchronously) when the segment is removed from the set, before unlink. */
  deleted = false;

  constructor(dir: string, firstSeq: number, size: number, lastSeq: number) {
    this.firstSeq = firstSeq;
    this.path = join(dir, segmentFileName(firstSeq));
    this.size = size;
    this.lastSeq = lastSeq;
  }
}

/** Segments ordered by first seq; the last one is the active segment. */
export class SegmentSet {
  readonly #list: Segment[] = [];
  #bytes = 0;

  /** Total bytes of all segment files. */
  get bytes(): number { return this.#bytes; }
  get count(): number { return this.#list.length; }
  get oldest(): Segment { return this.#list[0]; }
  get active(): Segment { return this.#list[this.#list.length - 1]; }
  all(): readonly Segment[] { return this.#list; }

  push(seg: Segment): void {
    this.#list.push(seg);
    this.#bytes += seg.size;
  }

  /** The writer grew the active segment by `bytes`. */
  grew(seg: Segment, bytes: number): void {
    seg.size += bytes;
    this.#bytes += bytes;
  }

  /** Removes the oldest segment (never the active one) and marks it deleted. */
  shiftOldest(): Segment | undefined {
    if (this.#list.length < 2) return undefined;
    const seg = this.#list.shift() as Segment;
    seg.deleted = true;
    this.#bytes -= seg.size;
    return seg;
  }

  /** The segment after `seg`, or undefined if it is the newest (or was deleted). */
  after(seg: Segment): Segment | undefined {
    const i = this.#list.indexOf(seg);
    return i >= 0 ? this.#list[i + 1] : undefined;
  }

  /** The segment that would hold `seq`: the newest whose first seq is <= seq (else the oldest). */
  find(seq: number): Segment {
    let lo = 0;
    let hi = this.#list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#list[mid].firstSeq <= seq) lo = mid;
      else hi = mid - 1;
    }
    return this.#list[lo];
  }

  /** Upper bound of the seqs a segment may hold (for frame validation). */
  maxSeqOf(seg: Segment): number {
    if (seg.active) return Number.MAX_SAFE_INTEGER;
    const next = this.after(seg);
    return next ? next.firstSeq - 1 : Number.MAX_SAFE_INTEGER;
  }
}

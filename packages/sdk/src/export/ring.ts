/**
 * A single-producer single-consumer ring of UTF-8 lines in a
 * SharedArrayBuffer (pino's thread-stream idea, with framed records and a
 * hard bound): write() on the caller's thread, read() on the worker.
 *
 * Layout: `ctl` (Int32Array) holds the write and read offsets and the
 * consumer's sleep state; `data` holds records `[u32 byte length][bytes]`,
 * each padded to 4 bytes. Offsets are multiples of 4 in [0, size). A record
 * never wraps: when it does not fit before the end, a WRAP marker is written
 * and the record starts at 0. The writer keeps 4 bytes between its offset
 * and the reader's, so `write === read` always means empty.
 *
 * The writer publishes its offset with Atomics.store after the bytes, the
 * reader its offset after consuming: each side sees the other's bytes
 * complete. The writer wakes the reader (Atomics.notify) only when the
 * reader said it is sleeping: IDLE (wake on anything) or POLL (it wakes up
 * by itself soon; wake it only past half full), so a busy stream costs no
 * notify per line.
 */

// One 64-byte cache line per slot: the writer's offset, the reader's offset and the sleep flag change on different threads.
export const CTL_WRITE = 0;
export const CTL_READ = 16;
export const CTL_SLEEP = 32;
/** Worker → main: set to 1 once the exit-time spool is done. */
export const CTL_EXIT_DONE = 48;
export const CTL_SLOTS = 64;

export const SLEEP_AWAKE = 0;
export const SLEEP_POLL = 1;
export const SLEEP_IDLE = 2;

const WRAP = -1;
const align4 = (n: number): number => (n + 3) & ~3;

export interface RingBuffers {
  ctl: SharedArrayBuffer;
  data: SharedArrayBuffer;
}

export function createRing(bytes: number): RingBuffers {
  return { ctl: new SharedArrayBuffer(CTL_SLOTS * 4), data: new SharedArrayBuffer(bytes) };
}

export class RingWriter {
  readonly #ctl: Int32Array;
  readonly #buf: Buffer;
  readonly #i32: Int32Array;
  readonly #size: number;
  #w: number;
  /** The reader's offset as last loaded: reloaded only when space seems short (saves a cross-core load per line). */
  #r: number;

  constructor(ring: RingBuffers) {
    this.#ctl = new Int32Array(ring.ctl);
    this.#buf = Buffer.from(ring.data);
    this.#i32 = new Int32Array(ring.data);
    this.#size = ring.data.byteLength;
    this.#w = Atomics.load(this.#ctl, CTL_WRITE);
    this.#r = Atomics.load(this.#ctl, CTL_READ);
  }

  /** Bytes in use (an upper bound while the reader is consuming). */
  used(): number {
    const r = Atomics.load(this.#ctl, CTL_READ);
    return this.#w >= r ? this.#w - r : this.#size - r + this.#w;
  }

  /** Appends one line; false (nothing written) when it does not fit now. */
  write(line: string): boolean {
    // 3 bytes per UTF-16 unit is the UTF-8 worst case: no byteLength scan on the common path.
    let at = this.#place(this.#r, 4 + align4(line.length * 3));
    if (at < 0) {
      this.#r = Atomics.load(this.#ctl, CTL_READ);
      at = this.#place(this.#r, 4 + align4(line.length * 3));
      if (at < 0) at = this.#place(this.#r, 4 + align4(Buffer.byteLength(line)));
      if (at < 0) return false;
    }
    const n = this.#buf.write(line, at + 4, 'utf8');
    this.#i32[at >> 2] = n;
    let w = at + 4 + align4(n);
    if (w === this.#size) w = 0;
    this.#w = w;
    Atomics.store(this.#ctl, CTL_WRITE, w);
    const sleep = Atomics.load(this.#ctl, CTL_SLEEP);
    if (sleep !== SLEEP_AWAKE && (sleep === SLEEP_IDLE || this.used() > this.#size >> 1)) this.wake();
    return true;
  }

  wake(): void {
    Atomics.store(this.#ctl, CTL_SLEEP, SLEEP_AWAKE);
    Atomics.notify(this.#ctl, CTL_SLEEP);
  }

  /** Where a record of `need` bytes goes (writing a WRAP marker if it starts over at 0), or -1. */
  #place(r: number, need: number): number {
    const w = this.#w;
    if (w >= r) {
      // Free: [w, size) then [0, r - 4); when r is 0 the tail keeps the gap.
      const tail = this.#size - w - (r === 0 ? 4 : 0);
      if (need <= tail) return w;
      if (need <= r - 4) {
        this.#i32[w >> 2] = WRAP;
        return 0;
      }
      return -1;
    }
    return need <= r - w - 4 ? w : -1;
  }
}

/**
 * Touches every page of the ring (an atomic add of 0, safe while the writer
 * runs) so the writer never takes a first-touch page fault (µs each) on the
 * caller's thread. Run on the worker at start.
 */
export function prefault(ring: RingBuffers): void {
  const a = new Int32Array(ring.data);
  for (let i = 0; i < a.length; i += 1024) Atomics.add(a, i, 0);
}

export class RingReader {
  readonly #ctl: Int32Array;
  readonly #buf: Buffer;
  readonly #i32: Int32Array;
  readonly #size: number;
  #r: number;

  constructor(ring: RingBuffers) {
    this.#ctl = new Int32Array(ring.ctl);
    this.#buf = Buffer.from(ring.data);
    this.#i32 = new Int32Array(ring.data);
    this.#size = ring.data.byteLength;
    this.#r = Atomics.load(this.#ctl, CTL_READ);
  }

  get ctl(): Int32Array { return this.#ctl; }

  isEmpty(): boolean {
    return Atomics.load(this.#ctl, CTL_WRITE) === this.#r;
  }

  /**
   * Hands up to `max` lines to `onLine` (line, UTF-8 bytes); stops when
   * onLine returns false, leaving that line in the ring. Returns the count
   * consumed.
   */
  read(max: number, onLine: (line: string, bytes: number) => boolean): number {
    const w = Atomics.load(this.#ctl, CTL_WRITE);
    let r = this.#r;
    let n = 0;
    while (r !== w && n < max) {
      const len = this.#i32[r >> 2];
      if (len === WRAP) {
        r = 0;
        continue;
      }
      if (!onLine(this.#buf.toString('utf8', r + 4, r + 4 + len), len)) break;
      r += 4 + align4(len);
      if (r === this.#size) r = 0;
      n++;
    }
    this.#r = r;
    Atomics.store(this.#ctl, CTL_READ, r);
    return n;
  }
}

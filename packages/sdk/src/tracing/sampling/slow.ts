/**
 * "Unusually slow": a job's duration against the running p95 of the last
 * `window` completed jobs of the same service_type+model. Each key keeps a
 * ring of its last durations and the same values sorted (binary search +
 * splice on a few hundred numbers: microseconds per job). Keys are bounded
 * (the least recently used is forgotten).
 */
const MAX_KEYS = 1000;

class Window {
  readonly #ring: number[] = [];
  readonly #sorted: number[] = [];
  #next = 0;
  constructor(readonly size: number) {}

  get count(): number {
    return this.#sorted.length;
  }

  add(v: number): void {
    if (this.#ring.length < this.size) this.#ring.push(v);
    else {
      const old = this.#ring[this.#next];
      this.#ring[this.#next] = v;
      this.#next = (this.#next + 1) % this.size;
      this.#sorted.splice(lowerBound(this.#sorted, old), 1);
    }
    this.#sorted.splice(lowerBound(this.#sorted, v), 0, v);
  }

  /** Nearest-rank percentile. */
  quantile(q: number): number {
    const s = this.#sorted;
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  }
}

function lowerBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SlowDetector {
  readonly #windows = new Map<string, Window>();
  constructor(readonly factor: number, readonly window: number, readonly minSamples: number, readonly absoluteMs: number | null) {}

  static key(serviceType: string | undefined, model: string | undefined): string {
    return `${serviceType ?? ''}\u0000${model ?? ''}`;
  }

  /** The p95 of the key's window, or undefined before minSamples durations. */
  p95(key: string): number | undefined {
    const w = this.#windows.get(key);
    return w && w.count >= this.minSamples ? w.quantile(0.95) : undefined;
  }

  /** Slow by the absolute bound (when set) or by factor × p95 (when the window has enough samples). */
  isSlow(key: string, durationMs: number): boolean {
    if (this.absoluteMs !== null && durationMs > this.absoluteMs) return true;
    if (this.factor <= 0) return false;
    const p = this.p95(key);
    return p !== undefined && durationMs > this.factor * p;
  }

  add(key: string, durationMs: number): void {
    let w = this.#windows.get(key);
    if (w) {
      this.#windows.delete(key);
    } else {
      w = new Window(this.window);
      if (this.#windows.size >= MAX_KEYS) this.#windows.delete(this.#windows.keys().next().value as string);
    }
    this.#windows.set(key, w);
    w.add(durationMs);
  }
}

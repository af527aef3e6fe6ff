/**
 * Rng: a small seeded pseudo-random generator (mulberry32) with the draws the
 * fleet simulator needs, so that every simulation is reproducible from its
 * seed. Not for cryptography.
 *
 * fork(label) derives an independent stream (per machine, per job): adding
 * one more job to a run does not shift the draws of every other job.
 */
import { deriveSeed, hashSeed, type Seed } from './seed.js';

export interface Rng {
  /** The 32-bit seed this stream started from. */
  readonly seed: number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Gaussian (Box–Muller). */
  normal(mean?: number, sd?: number): number;
  /**
   * Log-normal given its median and the sigma of its logarithm: long right
   * tail, p95 = median × e^(1.645·sigma). Always > 0 for median > 0.
   */
  lognormal(median: number, sigma: number): number;
  /** True with probability p (clamped to [0, 1]). */
  chance(p: number): boolean;
  /** One element, uniformly. Throws on an empty list (a bug in the caller). */
  pick<T>(items: readonly T[]): T;
  /** One key, with probability proportional to its weight (zero/negative weights never). */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K;
  /** `length` lowercase hex characters. */
  hex(length: number): string;
  /** A random (version 4 shaped) UUID. */
  uuid(): string;
  /** An independent stream derived from this one's seed and a label. */
  fork(label: Seed): Rng;
}

export function createRng(seed: Seed): Rng {
  return new Mulberry32(hashSeed(seed));
}

const TWO_PI = 2 * Math.PI;

class Mulberry32 implements Rng {
  readonly seed: number;
  #state: number;

  constructor(seed32: number) {
    this.seed = seed32 >>> 0;
    this.#state = this.seed;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.#state ^ (this.#state >>> 15), 1 | this.#state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, max: number): number {
    const lo = Math.ceil(Math.min(min, max));
    const hi = Math.floor(Math.max(min, max));
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.next(); // (0, 1]: log is finite
    const u2 = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(TWO_PI * u2);
  }

  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = (Object.entries(weights) as Array<[K, number | undefined]>).filter(
      (e): e is [K, number] => typeof e[1] === 'number' && e[1] > 0,
    );
    if (entries.length === 0) throw new RangeError('weighted pick with no positive weight');
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.next() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1][0];
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 4294967296).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  fork(label: Seed): Rng {
    return new Mulberry32(deriveSeed(this.seed, label));
  }
}

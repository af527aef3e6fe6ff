/**
 * Seeds as 32-bit integers. A simulation is named by a seed that may be a
 * number or a string ("demo", "run-42"); forks are named by labels (a
 * machine id, a job id). Strings are hashed (FNV-1a, then an avalanche mix)
 * so neighbouring labels ("job-1", "job-2") give unrelated streams.
 */

export type Seed = number | string;

/** A well-mixed unsigned 32-bit integer for any seed. */
export function hashSeed(seed: Seed): number {
  if (typeof seed === 'number') {
    const n = Number.isFinite(seed) ? Math.trunc(seed) : 0;
    // Fold the high bits of large integers in, so 2**32 + 1 and 1 differ.
    return mix32((n >>> 0) ^ Math.trunc(n / 4294967296));
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Derives the seed of a named sub-stream from a parent seed. */
export function deriveSeed(parent: number, label: Seed): number {
  return mix32(parent ^ Math.imul(hashSeed(label), 0x9e3779b1));
}

/** murmur3's finalizer: every input bit affects every output bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

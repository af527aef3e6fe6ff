export { createRng, type Rng } from './rng.js';
export { deriveSeed, hashSeed, type Seed } from './seed.js';
export { mean, quantile } from './stats.js';

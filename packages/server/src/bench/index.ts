/**
 * What other packages' benchmarks reuse from the server's (`@jobscope/server/bench`):
 * the deterministic data generator, its rows ready to load into a store, and
 * the statistics helpers.
 */
export { generateRequests, RARE_TOKEN, type DataOptions } from './data.js';
export { rowBatches } from './prepare.js';
export { median, quantile } from './queries.js';
export { envInt } from './env.js';
export { timeStoreQueries, type QueryTiming } from './store-timing.js';

import type { Store } from '../store/index.js';

/** One storage query as the server ran it: its start (performance.now()), duration and SQL. */
export interface QueryTiming { start: number; ms: number; sql: string }

/** Wraps `store.query` so that every query's start and duration (raw SQL time inside the server) lands in `timings`. */
export function timeStoreQueries(store: Store, timings: QueryTiming[]): void {
  const inner = store.query.bind(store);
  store.query = async <T>(...args: Parameters<Store['query']>): Promise<T[]> => {
    const t = performance.now();
    try {
      return await inner<T>(...args);
    } finally {
      timings.push({ start: t, ms: performance.now() - t, sql: args[0] });
    }
  };
}

export * from './store.js';
export { ChdbStore, type ChdbStoreOptions } from './chdb-store.js';
export { ClickHouseStore } from './clickhouse-store.js';
export { migrate, MIGRATIONS, type Migration, type MigrationReport } from './schema/migrations.js';
export { applyRetention, DEFAULT_RETENTION, ttlClauses, validateRetention, type Retention } from './schema/retention.js';
export { JOB_STATE_COLUMNS, JOB_STATE_RANK } from './schema/job-states.js';

import { ChdbStore } from './chdb-store.js';
import { ClickHouseStore } from './clickhouse-store.js';
import type { Store } from './store.js';

/** Opens the store the server is configured for: a ClickHouse URL, or embedded chdb in dataDir. */
export function openStore(opts: { clickhouseUrl?: string; dataDir: string; maxServerMemoryBytes?: number }): Store {
  if (opts.clickhouseUrl) return new ClickHouseStore(opts.clickhouseUrl);
  return ChdbStore.open({ dataDir: opts.dataDir, maxServerMemoryBytes: opts.maxServerMemoryBytes });
}

/**
 * Versioned schema migrations. Each migration runs once, in order, and is
 * recorded in jobscope_schema_migrations; a newer server opening an older
 * data directory applies only what is missing and keeps every row.
 * Never edit a released migration: add a new one.
 */
import type { Store } from '../store.js';
import { INGEST_BATCHES, OTEL_LOGS, OTEL_METRICS, OTEL_TRACES } from './tables.js';
import { JOB_STATES_BACKFILL, JOB_STATES_MV, JOB_STATES_MV_V3, JOB_STATES_TABLE } from './job-states.js';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'otel tables with job columns',
    statements: [OTEL_LOGS, OTEL_TRACES, ...OTEL_METRICS, INGEST_BATCHES],
  },
  {
    version: 2,
    name: 'job_states from lifecycle events',
    // Table first, then the view (new events), then the backfill (old events).
    // Migrations run before ingest starts, so nothing is counted twice.
    statements: [JOB_STATES_TABLE, JOB_STATES_MV, JOB_STATES_BACKFILL],
  },
  {
    version: 3,
    name: 'job status from an event status attribute (pending, unworkable)',
    statements: JOB_STATES_MV_V3,
  },
];

const LEDGER = `
CREATE TABLE IF NOT EXISTS jobscope_schema_migrations (
    Version UInt32,
    Name String,
    AppliedAt DateTime DEFAULT now()
) ENGINE = MergeTree ORDER BY Version`;

export interface MigrationReport { from: number; to: number; applied: number[] }

/** Brings the store's schema to the newest (or the given) version. */
export async function migrate(store: Store, opts: { upTo?: number; migrations?: readonly Migration[] } = {}): Promise<MigrationReport> {
  const list = opts.migrations ?? MIGRATIONS;
  const target = opts.upTo ?? list[list.length - 1]!.version;
  await store.exec(LEDGER);
  const rows = await store.query<{ v: number }>('SELECT max(Version) AS v FROM jobscope_schema_migrations');
  const from = Number(rows[0]?.v ?? 0);
  const newest = list[list.length - 1]!.version;
  if (from > newest) {
    throw new Error(`the data was written by a newer Jobscope (schema version ${from}; this server knows up to ${newest}); upgrade the server`);
  }
  const applied: number[] = [];
  for (const m of list) {
    if (m.version <= from || m.version > target) continue;
    for (const stmt of m.statements) await store.exec(stmt);
    await store.exec('INSERT INTO jobscope_schema_migrations (Version, Name) VALUES ({v:UInt32}, {n:String})', { v: m.version, n: m.name });
    applied.push(m.version);
  }
  return { from, to: Math.max(from, applied[applied.length - 1] ?? from), applied };
}

/**
 * Retention by TTL per signal (defaults from the mission brief): logs 30 d,
 * error logs 90 d, lifecycle/fleet events 180 d, traces 7 d, metrics 30 d,
 * job states 180 d. Applied with ALTER … MODIFY TTL at start when the
 * configuration changed; existing parts are cleaned by ClickHouse's TTL merges.
 */
import type { Store } from '../store.js';
import { OTEL_METRICS } from './tables.js';

export interface Retention {
  logsDays: number;
  errorLogsDays: number;
  eventsDays: number;
  tracesDays: number;
  metricsDays: number;
}

export const DEFAULT_RETENTION: Readonly<Retention> = {
  logsDays: 30, errorLogsDays: 90, eventsDays: 180, tracesDays: 7, metricsDays: 30,
};

const METRIC_TABLES = OTEL_METRICS.map((ddl) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(ddl)![1]!);

export function validateRetention(r: Retention): void {
  for (const [k, v] of Object.entries(r)) {
    if (!Number.isInteger(v) || v < 1 || v > 36500) throw new Error(`retention ${k} must be a whole number of days between 1 and 36500 (got ${v})`);
  }
}

/** TTL clauses per table. Numbers only (validated), never user text. */
export function ttlClauses(r: Retention): Record<string, string> {
  validateRetention(r);
  // Error logs (severity ≥ ERROR) outlive plain logs; events outlive both.
  const keep = Math.max(r.logsDays, r.errorLogsDays, r.eventsDays);
  const logs = [
    `TimestampTime + INTERVAL ${r.logsDays} DAY DELETE WHERE EventType = '' AND SeverityNumber < 17`,
    `TimestampTime + INTERVAL ${r.errorLogsDays} DAY DELETE WHERE EventType = ''`,
    `TimestampTime + INTERVAL ${keep} DAY`,
  ].join(', ');
  const out: Record<string, string> = {
    otel_logs: logs,
    otel_traces: `toDateTime(Timestamp) + INTERVAL ${r.tracesDays} DAY`,
    job_states: `toDateTime(FirstEventAt) + INTERVAL ${r.eventsDays} DAY`,
  };
  for (const t of METRIC_TABLES) out[t] = `toDateTime(TimeUnix) + INTERVAL ${r.metricsDays} DAY`;
  return out;
}

const META = `
CREATE TABLE IF NOT EXISTS jobscope_meta (
    Key String, Value String, UpdatedAt DateTime64(3) DEFAULT now64(3)
) ENGINE = ReplacingMergeTree(UpdatedAt) ORDER BY Key`;

/** Applies the retention when it differs from the one last applied. Returns true when changed. */
export async function applyRetention(store: Store, r: Retention): Promise<boolean> {
  const clauses = ttlClauses(r);
  const wanted = JSON.stringify(clauses);
  await store.exec(META);
  const rows = await store.query<{ Value: string }>(`SELECT Value FROM jobscope_meta FINAL WHERE Key = 'retention'`);
  if (rows[0]?.Value === wanted) return false;
  for (const [table, ttl] of Object.entries(clauses)) {
    // Do not rewrite old parts now: TTL merges will apply the rule over time.
    await store.exec(`ALTER TABLE ${table} MODIFY TTL ${ttl} SETTINGS materialize_ttl_after_modify = 0`);
  }
  await store.exec(`INSERT INTO jobscope_meta (Key, Value) VALUES ('retention', {v:String})`, { v: wanted });
  return true;
}

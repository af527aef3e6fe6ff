/**
 * The ClickHouse-server adapter against a real server, when CLICKHOUSE_URL
 * points at one (e.g. http://default:@127.0.0.1:8123/jobscope_test). No
 * modern ClickHouse server package reaches the CI machines, so CI skips this;
 * see docs/storage.md for what was and was not exercised.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClickHouseStore, migrate, JOB_STATE_COLUMNS, applyRetention, DEFAULT_RETENTION } from './index.js';

const url = process.env.CLICKHOUSE_URL;

test('ClickHouse server: migrate, insert with dedup token, query job states', { skip: url ? false : 'CLICKHOUSE_URL not set' }, async () => {
  const store = new ClickHouseStore(url!);
  try {
    await migrate(store);
    await applyRetention(store, DEFAULT_RETENTION);
    const job = `job-ch-${Date.now()}`;
    const rows = ['job_submitted', 'job_started', 'job_completed'].map((e, i) => JSON.stringify({
      Timestamp: `2026-11-28 10:00:0${i}.000`, Body: e, JobId: job, EventType: e, LogAttributes: { job_id: job, event_type: e },
    })).join('\n');
    await store.insert('otel_logs', Buffer.from(rows), { dedupToken: `${job}-1` });
    await store.insert('otel_logs', Buffer.from(rows), { dedupToken: `${job}-1` });
    const n = await store.query<{ n: string }>('SELECT count() AS n FROM otel_logs WHERE JobId = {j:String}', { j: job });
    assert.equal(Number(n[0]!.n), 3);
    const select = Object.entries(JOB_STATE_COLUMNS).map(([k, v]) => `${v} AS ${k}`).join(', ');
    const [state] = await store.query<Record<string, unknown>>(`SELECT ${select} FROM job_states WHERE JobId = {j:String} GROUP BY Dataset, JobId`, { j: job });
    assert.equal(state!.status, 'completed');
  } finally {
    await store.close();
  }
});

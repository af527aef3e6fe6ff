import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChdbStore, applyRetention, DEFAULT_RETENTION, migrate, MIGRATIONS, JOB_STATE_COLUMNS } from './index.js';
import { tempDir } from '../testkit/temp-dir.js';

const ev = (job: string, type: string, ts: string, attrs: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Timestamp: ts, Body: type, SeverityText: type === 'job_failed' ? 'error' : 'info', SeverityNumber: type === 'job_failed' ? 17 : 9,
    JobId: job, EventType: type, ServiceType: 'comfyui', MachineId: 'm1', WorkerId: 'w1', Dataset: 'default',
    LogAttributes: { job_id: job, event_type: type, ...attrs }, ...extra,
  });

const stateSelect = Object.entries(JOB_STATE_COLUMNS).map(([k, v]) => `${v} AS ${k}`).join(', ');

test('a newer server opens an older data directory, keeps rows and backfills job states', async () => {
  const { dir, cleanup } = tempDir();
  try {
    let store = ChdbStore.open({ dataDir: dir });
    const r1 = await migrate(store, { upTo: 1 });
    assert.deepEqual(r1.applied, [1]);
    await store.insert('otel_logs', Buffer.from([
      ev('job-1', 'job_submitted', '2026-11-28 10:00:00.000', { model: 'sdxl' }),
      ev('job-1', 'job_started', '2026-11-28 10:00:02.000'),
      ev('job-1', 'job_completed', '2026-11-28 10:00:07.000', { duration_ms: '5000' }),
    ].join('\n')));
    await store.close();

    store = ChdbStore.open({ dataDir: dir });
    const r2 = await migrate(store, { upTo: 2 });
    assert.deepEqual(r2.applied, [2]);
    assert.equal(r2.to, 2);
    const logs = await store.query<{ n: number }>('SELECT count() AS n FROM otel_logs');
    assert.equal(logs[0]!.n, 3);
    const jobs = await store.query<Record<string, unknown>>(`SELECT ${stateSelect} FROM job_states GROUP BY Dataset, JobId`);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.status, 'completed');
    assert.equal(jobs[0]!.model, 'sdxl');
    assert.equal(jobs[0]!.duration_ms, 5000);
    assert.equal(jobs[0]!.queue_wait_ms, 2000);
    // v2 → v3 replaces the view: old states stay, new events may set pending/unworkable
    await store.close();
    store = ChdbStore.open({ dataDir: dir });
    const r3 = await migrate(store);
    assert.deepEqual(r3.applied, [3]);
    assert.equal(r3.to, MIGRATIONS[MIGRATIONS.length - 1]!.version);
    await store.insert('otel_logs', Buffer.from([
      ev('job-3', 'job_submitted', '2026-11-28 10:01:00.000', { status: 'pending' }),
      ev('job-4', 'job_submitted', '2026-11-28 10:01:00.000'),
      ev('job-4', 'job_failed', '2026-11-28 10:01:30.000', { status: 'unworkable', error_type: 'validation' }),
    ].join('\n')));
    const after3 = await store.query<Record<string, unknown>>(`SELECT ${stateSelect} FROM job_states GROUP BY Dataset, JobId ORDER BY JobId`);
    assert.deepEqual(after3.map((j) => [j.job_id, j.status]), [['job-1', 'completed'], ['job-3', 'pending'], ['job-4', 'unworkable']]);
    // running again is a no-op
    assert.deepEqual((await migrate(store)).applied, []);
    await store.close();
  } finally {
    cleanup();
  }
});

test('job states follow lifecycle events through the view, retries and all, and dedup tokens hold', async () => {
  const { dir, cleanup } = tempDir();
  const store = ChdbStore.open({ dataDir: dir });
  try {
    await migrate(store);
    const batch = Buffer.from([
      ev('job-2', 'job_submitted', '2026-11-28 10:00:00.000'),
      ev('job-2', 'job_received', '2026-11-28 10:00:01.000', {}, { WorkerId: 'w1' }),
      ev('job-2', 'job_started', '2026-11-28 10:00:01.500', { attempt: '1' }),
      ev('job-2', 'job_failed', '2026-11-28 10:00:03.000', { error_type: 'memory', error: 'CUDA out of memory', duration_ms: '1500' }),
      ev('job-2', 'job_retried', '2026-11-28 10:00:03.000'),
    ].join('\n'));
    await store.insert('otel_logs', batch, { dedupToken: 'b-1' });
    await store.insert('otel_logs', batch, { dedupToken: 'b-1' }); // a retry: stored once
    let [job] = await store.query<Record<string, unknown>>(`SELECT ${stateSelect} FROM job_states WHERE JobId = {j:String} GROUP BY Dataset, JobId`, { j: 'job-2' });
    assert.equal(job!.status, 'queued');
    assert.equal(job!.error_type, 'memory');
    assert.equal(job!.events, 5);
    await store.insert('otel_logs', Buffer.from([
      ev('job-2', 'job_started', '2026-11-28 10:00:05.000', { attempt: '2' }, { WorkerId: 'w2' }),
      ev('job-2', 'job_completed', '2026-11-28 10:00:09.000', { duration_ms: '4000' }, { WorkerId: 'w2' }),
    ].join('\n')), { dedupToken: 'b-2' });
    [job] = await store.query<Record<string, unknown>>(`SELECT ${stateSelect} FROM job_states WHERE JobId = {j:String} GROUP BY Dataset, JobId`, { j: 'job-2' });
    assert.equal(job!.status, 'completed');
    assert.equal(job!.attempts, 2);
    assert.equal(job!.retries, 1);
    assert.equal(job!.worker_id, 'w2');
    assert.equal(job!.duration_ms, 4000);
    assert.equal(job!.events, 7);
    const n = await store.query<{ n: number }>('SELECT count() AS n FROM otel_logs');
    assert.equal(n[0]!.n, 7);
  } finally {
    await store.close();
    cleanup();
  }
});

test('retention is applied as TTL and only re-applied when it changes', async () => {
  const { dir, cleanup } = tempDir();
  const store = ChdbStore.open({ dataDir: dir });
  try {
    await migrate(store);
    assert.equal(await applyRetention(store, DEFAULT_RETENTION), true);
    assert.equal(await applyRetention(store, DEFAULT_RETENTION), false);
    const [t] = await store.query<{ engine_full: string }>(`SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'otel_traces'`);
    assert.match(t!.engine_full, /TTL toDateTime\(Timestamp\) \+ toIntervalDay\(7\)/);
    assert.equal(await applyRetention(store, { ...DEFAULT_RETENTION, tracesDays: 3 }), true);
    const [t2] = await store.query<{ engine_full: string }>(`SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'otel_traces'`);
    assert.match(t2!.engine_full, /toIntervalDay\(3\)/);
    await assert.rejects(applyRetention(store, { ...DEFAULT_RETENTION, logsDays: 0 }), /logsDays/);
  } finally {
    await store.close();
    cleanup();
  }
});

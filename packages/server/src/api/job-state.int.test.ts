/**
 * The job page derives a job's state in memory (job-state.ts); lists read the
 * job_states view. Both must give the same state for the same events.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ChdbStore, migrate } from '../store/index.js';
import { tempDir } from '../testkit/temp-dir.js';
import { param, render, sql } from '../query/index.js';
import { JOB_SELECT, toJobState } from './jobs.js';
import { deriveJobState } from './job-state.js';
import { LOG_VIEW_COLUMNS, type LogViewRow } from './log-view.js';

const base = 1_795_000_000_000_000_000n;
type Ev = [type: string, ms: number, attrs?: Record<string, string>, cols?: Record<string, string>];

const SEQUENCES: Record<string, Ev[]> = {
  completed: [['job_submitted', 0, { model: 'sdxl' }], ['job_received', 1500, {}, { WorkerId: 'w-1' }], ['job_started', 2000], ['job_progress', 3000, { progress: '50' }], ['job_completed', 9000, { duration_ms: '7000' }]],
  'failed then retried then completed': [['job_submitted', 0], ['job_started', 100, { attempt: '1' }, { WorkerId: 'w-1' }], ['job_failed', 900, { error_type: 'memory', error: 'CUDA out of memory', duration_ms: '800' }],
    ['job_retried', 900], ['job_started', 2000, { attempt: '2' }, { WorkerId: 'w-2', MachineId: 'm-2' }], ['job_completed', 5000]],
  'out of order arrival': [['job_completed', 5000, { duration_ms: '1000' }], ['job_submitted', 0], ['job_started', 4000]],
  'ties at one timestamp': [['job_submitted', 0], ['job_failed', 700, { error_type: 'timeout' }], ['job_retried', 700]],
  'only progress': [['job_progress', 10, { progress: '12.5' }], ['job_progress', 20, { progress: '25' }]],
  'timeout without duration': [['job_submitted', 0], ['job_received', 250], ['job_started', 300], ['job_timeout', 60300, { error: 'no answer in 60 s' }]],
  cancelled: [['job_submitted', 0], ['job_cancelled', 10, { reason: 'user' }]],
  'sub-millisecond times': [['job_submitted', 0.4], ['job_started', 1.6], ['job_completed', 3.2]],
  'scheduled (pending)': [['job_submitted', 0, { status: 'pending', delay_ms: '5000' }]],
  'scheduled then claimed': [['job_submitted', 0, { status: 'pending' }], ['job_received', 5100]],
  unworkable: [['job_submitted', 0], ['job_failed', 30000, { status: 'unworkable', error_type: 'validation', error: 'no worker can run service_type video-upscale' }]],
  'status attribute that is not an override': [['job_submitted', 0, { status: 'completed' }], ['job_failed', 10, { status: 'pending', error_type: 'unknown' }]],
};
const EXPECTED_STATUS: Record<string, string> = {
  'scheduled (pending)': 'pending', 'scheduled then claimed': 'assigned', unworkable: 'unworkable',
  'status attribute that is not an override': 'failed', completed: 'completed', cancelled: 'cancelled',
};

const { dir, cleanup } = tempDir('jobscope-state-');
let store: ChdbStore;
before(async () => {
  store = ChdbStore.open({ dataDir: dir });
  await migrate(store);
  const lines: string[] = [];
  for (const [name, evs] of Object.entries(SEQUENCES)) {
    const job = `job-${name.replace(/\s+/g, '-')}`;
    for (const [type, ms, attrs = {}, cols = {}] of evs) {
      lines.push(JSON.stringify({
        Timestamp: (base + BigInt(Math.round(ms * 1_000_000))).toString(), Body: `${type} body`, JobId: job, EventType: type,
        ServiceType: 'comfyui', MachineId: 'm-1', TraceId: '0af7651916cd43dd8448eb211c80319c', Dataset: 'default',
        LogAttributes: { job_id: job, event_type: type, ...attrs }, ...cols,
      }));
    }
  }
  // Two inserts, so job_states holds partial states to merge, as in production.
  const half = Math.floor(lines.length / 2);
  await store.insert('otel_logs', Buffer.from(lines.slice(0, half).join('\n')));
  await store.insert('otel_logs', Buffer.from(lines.slice(half).join('\n')));
});
after(async () => { await store.close(); cleanup(); });

for (const name of Object.keys(SEQUENCES)) {
  test(`job state in memory equals the job_states view: ${name}`, async () => {
    const job = `job-${name.replace(/\s+/g, '-')}`;
    const viewQ = render(sql`SELECT ${JOB_SELECT} FROM job_states WHERE JobId = ${param.string(job)} GROUP BY Dataset, JobId`);
    const logsQ = render(sql`SELECT ${LOG_VIEW_COLUMNS} FROM otel_logs WHERE JobId = ${param.string(job)} ORDER BY Timestamp`);
    const [view] = await store.query<Record<string, string | number | null>>(viewQ.sql, viewQ.params);
    const rows = await store.query<LogViewRow>(logsQ.sql, logsQ.params);
    assert.deepEqual(deriveJobState(rows), toJobState(view!));
    if (EXPECTED_STATUS[name]) assert.equal(deriveJobState(rows)?.status, EXPECTED_STATUS[name]);
  });
}

/** The query API over HTTP against real embedded ClickHouse: logs, jobs, the job page's data, stats, live tail. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logRecord, logsRequest, postLogs, startTestServer, type TestServer } from '../testkit/server.js';

let t: TestServer;
const base = BigInt(Date.now() - 10 * 60_000) * 1_000_000n;
const at = (sec: number): string => (base + BigInt(sec) * 1_000_000_000n).toString();

const ev = (job: string, type: string, sec: number, attrs: Record<string, string | number> = {}, level = 9) =>
  logRecord({ timeUnixNano: at(sec), severityNumber: level, body: `${type} ${job}`, attrs: { job_id: job, event_type: type, ...attrs } });

before(async () => {
  t = await startTestServer();
  const records = [
    ev('job-a', 'job_submitted', 0, { model: 'sdxl' }),
    ev('job-a', 'job_received', 2, { worker_id: 'w-1' }),
    ev('job-a', 'job_started', 3),
    logRecord({ timeUnixNano: at(4), body: 'loading checkpoint sdxl_base.safetensors', attrs: { job_id: 'job-a' } }),
    ev('job-a', 'job_completed', 9, { duration_ms: 6000 }),
    ev('job-b', 'job_submitted', 10, { model: 'gpt-4o', service_type: 'openai' }),
    ev('job-b', 'job_started', 11, { service_type: 'openai' }),
    ev('job-b', 'job_failed', 12, { service_type: 'openai', error_type: 'rate_limit', error: 'HTTP 429 Too Many Requests' }, 17),
    logRecord({ timeUnixNano: at(13), severityNumber: 17, body: '<script>alert(1)</script> payload', attrs: { job_id: 'job-b' } }),
  ];
  for (let i = 0; i < 30; i++) records.push(logRecord({ timeUnixNano: at(20), body: `same-time row ${i}`, attrs: { job_id: 'job-page', i } }));
  assert.equal((await postLogs(t.url, logsRequest(records, { 'service.name': 'worker', machine_id: 'm-1', service_type: 'comfyui' }))).status, 200);
  await t.server.writer.flush();
});
after(async () => { await t.close(); });

const get = async <T>(path: string): Promise<T> => {
  const r = await fetch(t.url + path);
  assert.equal(r.status, 200, `${path}: ${r.status}`);
  return (await r.json()) as T;
};

test('GET /api/logs searches with the language, newest first', async () => {
  const r = await get<{ rows: { message: string; level: string; job_id: string }[] }>(`/api/logs?q=${encodeURIComponent('level:error job_id:job-b')}`);
  assert.deepEqual(r.rows.map((x) => x.message), ['<script>alert(1)</script> payload', 'job_failed job-b']);
  const phrase = await get<{ rows: { message: string }[] }>(`/api/logs?q=${encodeURIComponent('"loading checkpoint"')}`);
  assert.deepEqual(phrase.rows.map((x) => x.message), ['loading checkpoint sdxl_base.safetensors']);
  const neg = await get<{ rows: unknown[] }>(`/api/logs?q=${encodeURIComponent('job_id:job-a -event_type:*')}`);
  assert.equal(neg.rows.length, 1);
});

test('pagination by cursor neither repeats nor skips rows sharing a timestamp', async () => {
  const seen: string[] = [];
  let cursor: string | null = '';
  let pages = 0;
  while (cursor !== null && pages < 20) {
    const r: { rows: { message: string }[]; nextCursor: string | null } = await get(`/api/logs?q=job_id:job-page&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...r.rows.map((x) => x.message));
    cursor = r.nextCursor;
    pages++;
  }
  assert.equal(seen.length, 30);
  assert.equal(new Set(seen).size, 30);
});

test('bad input gets a 400 with a message, never a 500', async () => {
  for (const path of ['/api/logs?q=level:(', '/api/logs?from=yesterday', '/api/logs?limit=0', '/api/logs?cursor=abc', '/api/stats?interval=7x', '/api/jobs?q=free%20text']) {
    const r = await fetch(t.url + path);
    assert.equal(r.status, 400, path);
    const body = await r.json() as { error: string; message: string };
    assert.ok(body.message.length > 0);
  }
});

test('GET /api/jobs lists job states with filters', async () => {
  const all = await get<{ rows: { job_id: string; status: string }[] }>('/api/jobs');
  const byId = Object.fromEntries(all.rows.map((r) => [r.job_id, r]));
  assert.equal(byId['job-a']!.status, 'completed');
  assert.equal(byId['job-b']!.status, 'failed');
  const failed = await get<{ rows: { job_id: string; error_type: string }[] }>('/api/jobs?status=failed');
  assert.deepEqual(failed.rows.map((r) => [r.job_id, r.error_type]), [['job-b', 'rate_limit']]);
  const q = await get<{ rows: { job_id: string }[] }>(`/api/jobs?q=${encodeURIComponent('duration_ms:>5000 model:sdxl')}`);
  assert.deepEqual(q.rows.map((r) => r.job_id), ['job-a']);
});

test('GET /api/jobs/:id gives the state and the timeline in time order', async () => {
  const r = await get<{ job: Record<string, unknown>; timeline: { kind: string; event_type: string; message: string }[] }>('/api/jobs/job-a');
  assert.equal(r.job.status, 'completed');
  assert.equal(r.job.queue_wait_ms, 2000);
  assert.equal(r.job.duration_ms, 6000);
  assert.equal(r.job.model, 'sdxl');
  assert.equal(r.job.machine_id, 'm-1');
  assert.deepEqual(r.timeline.map((i) => i.kind), ['event', 'event', 'event', 'log', 'event']);
  assert.deepEqual(r.timeline.filter((i) => i.kind === 'event').map((i) => i.event_type), ['job_submitted', 'job_received', 'job_started', 'job_completed']);
  const missing = await fetch(`${t.url}/api/jobs/job-none`);
  assert.equal(missing.status, 404);
});

test('GET /api/stats counts per bucket and per field value', async () => {
  const r = await get<{ intervalSeconds: number; keys: string[]; buckets: { key: string; count: number }[] }>('/api/stats?by=level&interval=1m&from=now-1h');
  assert.equal(r.intervalSeconds, 60);
  const total = (k: string) => r.buckets.filter((b) => b.key === k).reduce((a, b) => a + b.count, 0);
  assert.equal(total('error'), 2);
  assert.equal(total('info'), 37);
  const plain = await get<{ buckets: { count: number }[] }>(`/api/stats?q=${encodeURIComponent('job_id:job-a')}`);
  assert.equal(plain.buckets.reduce((a, b) => a + b.count, 0), 5);
});

test('GET /api/tail streams matching records as they are accepted', async () => {
  const ac = new AbortController();
  const res = await fetch(`${t.url}/api/tail?q=${encodeURIComponent('job_id:job-live level:error')}`, { signal: ac.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = res.body!.getReader();
  const started = Date.now();
  await postLogs(t.url, logsRequest([
    logRecord({ severityNumber: 17, body: 'tail me', attrs: { job_id: 'job-live' } }),
    logRecord({ severityNumber: 9, body: 'not an error', attrs: { job_id: 'job-live' } }),
    logRecord({ severityNumber: 17, body: 'other job', attrs: { job_id: 'job-other' } }),
  ]));
  let text = '';
  while (!text.includes('event: logs') && Date.now() - started < 5000) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  ac.abort();
  const data = /event: logs\ndata: (.*)\n/.exec(text);
  assert.ok(data, text);
  const rows = JSON.parse(data[1]!) as { message: string }[];
  assert.deepEqual(rows.map((r) => r.message), ['tail me']);
  assert.ok(Date.now() - started < 2000, 'within 2 s');
});

test('a tail with a bad query is a 400 before the stream starts', async () => {
  const r = await fetch(`${t.url}/api/tail?q=${encodeURIComponent('a:(')}`);
  assert.equal(r.status, 400);
});

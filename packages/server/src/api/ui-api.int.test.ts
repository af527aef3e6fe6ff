/**
 * The web UI's endpoints (/api/overview, /api/machines, /api/fields,
 * /api/values, /api/facets) over HTTP against real embedded ClickHouse, on a
 * fleet whose numbers are known: lifecycle and fleet events sent through the
 * real OTLP/HTTP endpoint, then every number checked exactly.
 *
 * The fleet (times relative to NOW, taken once the server is up):
 *   m-1 (online):  w-1a comfyui (heartbeat 5 s ago: busy, current_job_id job-run-1),
 *                  w-1b openai  (heartbeat 40 s ago, then job_started job-run-2 20 s ago)
 *   m-2 (silent):  w-2a comfyui (last record 5 min ago), plus a machine_started without a worker
 *   api:           job_submitted events, no machine
 * Jobs in the last hour: 7 completed + 2 failed (memory) + 1 timeout, with
 * known durations and queue waits; 3 in flight (2 in_progress, 1 assigned),
 * 3 queued (2 queued, 1 pending); one job two hours ago (outside every range).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { logRecord, logsRequest, postLogs, startTestServer, count, type TestServer } from '../testkit/server.js';

type Res = 'api' | 'w-1a' | 'w-1b' | 'w-2a' | 'm-2';
const RESOURCES: Record<Res, Record<string, string>> = {
  api: { 'service.name': 'api' },
  'w-1a': { 'service.name': 'worker', machine_id: 'm-1', worker_id: 'w-1a', service_type: 'comfyui' },
  'w-1b': { 'service.name': 'worker', machine_id: 'm-1', worker_id: 'w-1b', service_type: 'openai' },
  'w-2a': { 'service.name': 'worker', machine_id: 'm-2', worker_id: 'w-2a', service_type: 'comfyui' },
  'm-2': { 'service.name': 'machine-agent', machine_id: 'm-2' },
};
const SEVERITY = { info: 9, warn: 13, error: 17 } as const;
type Level = keyof typeof SEVERITY;

interface Rec { ms: number; res: Res; level: Level; body: string; attrs: Record<string, string | number> }

let t: TestServer;
let NOW = 0;
const recs: Rec[] = [];

const add = (ms: number, res: Res, body: string, attrs: Record<string, string | number> = {}, level: Level = 'info'): void => {
  recs.push({ ms, res, level, body, attrs });
};
const ev = (ms: number, res: Res, type: string, job: string, attrs: Record<string, string | number> = {}, level: Level = 'info'): void =>
  add(ms, res, `${type} ${job}`, { event_type: type, job_id: job, ...attrs }, level);

interface Finished { id: string; w: Res; model: string; end: 'job_completed' | 'job_failed' | 'job_timeout'; dur: number; wait: number; error_type?: string }
const FINISHED: Finished[] = [
  { id: 'job-c0', w: 'w-1a', model: 'sdxl', end: 'job_completed', dur: 100, wait: 1000 },
  { id: 'job-c1', w: 'w-1a', model: 'sdxl', end: 'job_completed', dur: 200, wait: 2000 },
  { id: 'job-c2', w: 'w-1a', model: 'sdxl', end: 'job_completed', dur: 300, wait: 3000 },
  { id: 'job-c3', w: 'w-1a', model: 'flux', end: 'job_completed', dur: 400, wait: 4000 },
  { id: 'job-c4', w: 'w-1a', model: 'flux', end: 'job_completed', dur: 500, wait: 5000 },
  { id: 'job-c5', w: 'w-1b', model: 'gpt-4o', end: 'job_completed', dur: 600, wait: 6000 },
  { id: 'job-c6', w: 'w-1b', model: 'gpt-4o', end: 'job_completed', dur: 700, wait: 7000 },
  { id: 'job-f0', w: 'w-2a', model: 'flux', end: 'job_failed', dur: 800, wait: 8000, error_type: 'memory' },
  { id: 'job-f1', w: 'w-2a', model: 'flux', end: 'job_failed', dur: 900, wait: 9000, error_type: 'memory' },
  { id: 'job-t0', w: 'w-1b', model: 'gpt-4o', end: 'job_timeout', dur: 1000, wait: 10_000, error_type: 'timeout' },
];

function buildFleet(): void {
  const T0 = NOW - 30 * 60_000;
  // Fleet events.
  add(T0 - 120_000, 'm-2', 'machine started', { event_type: 'machine_started' });
  add(T0 - 60_000, 'w-1a', 'Worker registered', { event_type: 'worker_registered', service_types: 'comfyui,a1111' });
  add(T0 - 60_000, 'w-1b', 'Worker registered', { event_type: 'worker_registered', service_types: '["openai"]' });
  add(T0 - 60_000, 'w-2a', 'Worker registered', { event_type: 'worker_registered', service_types: 'comfyui' });
  for (const w of ['w-1a', 'w-1b', 'w-2a'] as const) add(T0 - 59_000, w, 'Worker status changed', { event_type: 'worker_status_changed', status: 'idle', previous_status: 'starting' });
  // Finished jobs, one a minute.
  FINISHED.forEach((j, i) => {
    const sub = T0 + i * 60_000;
    const start = sub + j.wait + 100;
    ev(sub, 'api', 'job_submitted', j.id, { model: j.model });
    ev(sub + j.wait, j.w, 'job_received', j.id, { model: j.model });
    ev(start, j.w, 'job_started', j.id, { model: j.model });
    add(start + 50, j.w, `processing ${j.id} with ${j.model}`, { job_id: j.id });
    const failed = j.end !== 'job_completed';
    ev(start + j.dur, j.w, j.end, j.id, {
      model: j.model, duration_ms: j.dur,
      ...(j.error_type ? { error_type: j.error_type } : {}),
      ...(j.end === 'job_failed' ? { error: `CUDA out of memory on ${j.id}` } : {}),
    }, failed ? 'error' : 'info');
    if (j.end === 'job_timeout') recs[recs.length - 1]!.body = `${j.id} timed out after ${j.dur} ms`;
  });
  // In flight: two in progress, one assigned.
  const r1 = NOW - 120_000;
  ev(r1, 'api', 'job_submitted', 'job-run-1', { model: 'sdxl' });
  ev(r1 + 11_000, 'w-1a', 'job_received', 'job-run-1');
  ev(r1 + 11_100, 'w-1a', 'job_started', 'job-run-1');
  const r2 = NOW - 20_000 - 12_100;
  ev(r2, 'api', 'job_submitted', 'job-run-2', { model: 'gpt-4o' });
  ev(r2 + 12_000, 'w-1b', 'job_received', 'job-run-2');
  ev(r2 + 12_100, 'w-1b', 'job_started', 'job-run-2');
  const a = NOW - 10 * 60_000;
  ev(a, 'api', 'job_submitted', 'job-asg');
  ev(a + 13_000, 'w-2a', 'job_received', 'job-asg');
  // Queued and pending.
  ev(NOW - 4 * 60_000, 'api', 'job_submitted', 'job-q1');
  ev(NOW - 3.5 * 60_000, 'api', 'job_submitted', 'job-q2');
  ev(NOW - 3 * 60_000, 'api', 'job_submitted', 'job-p1', { status: 'pending' });
  // Heartbeats and status changes.
  add(NOW - 5 * 60_000, 'w-2a', 'Worker heartbeat', { event_type: 'worker_heartbeat', status: 'idle' });
  add(NOW - 40_000, 'w-1b', 'Worker heartbeat', { event_type: 'worker_heartbeat', status: 'idle' });
  add(NOW - 20_000 + 1, 'w-1b', 'Worker status changed', { event_type: 'worker_status_changed', status: 'busy', previous_status: 'idle' });
  add(NOW - 5_000, 'w-1a', 'Worker heartbeat', { event_type: 'worker_heartbeat', status: 'busy', current_job_id: 'job-run-1' });
  add(NOW - 6_000, 'w-1a', 'slow response from comfyui', { job_id: 'job-run-1' }, 'warn');
  // Two hours ago: outside every default range.
  ev(NOW - 2 * 3_600_000, 'api', 'job_submitted', 'job-old');
  ev(NOW - 2 * 3_600_000 + 1000, 'w-1a', 'job_started', 'job-old');
  ev(NOW - 2 * 3_600_000 + 6000, 'w-1a', 'job_completed', 'job-old', { duration_ms: 5000, error_type: 'stale' });
}

before(async () => {
  t = await startTestServer();
  NOW = Date.now();
  buildFleet();
  for (const res of Object.keys(RESOURCES) as Res[]) {
    const records = recs.filter((r) => r.res === res).map((r) => logRecord({
      timeUnixNano: (BigInt(Math.round(r.ms)) * 1_000_000n).toString(), severityNumber: SEVERITY[r.level],
      severityText: r.level.toUpperCase(), body: r.body, attrs: r.attrs,
    }));
    assert.equal((await postLogs(t.url, logsRequest(records, RESOURCES[res]))).status, 200);
  }
  await t.server.writer.flush();
});
after(async () => { await t?.close(); });

const get = async <T>(path: string): Promise<T> => {
  const r = await fetch(t.url + path);
  const text = await r.text();
  assert.equal(r.status, 200, `${path}: ${r.status} ${text}`);
  return JSON.parse(text) as T;
};
const q = encodeURIComponent;
const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

interface Overview {
  from: string; to: string; bucketSeconds: number;
  series: { time: string; submitted: number; completed: number; failed: number }[];
  totals: { submitted: number; completed: number; failed: number; failureRate: number; inFlight: number; queued: number };
  durations: { byServiceType: { key: string; count: number; p50: number; p95: number }[]; byModel: { key: string; count: number; p50: number; p95: number }[] };
  queueWait: { p50: number; p95: number };
  fleet: { machinesOnline: number; machinesSeen: number; workersOnline: number; workersSeen: number };
  topErrors: { error_type: string; count: number; example: string }[];
}

test('GET /api/overview: totals, failure rate, in flight, queued', async () => {
  const o = await get<Overview>('/api/overview');
  assert.deepEqual(o.totals, { submitted: 16, completed: 7, failed: 3, failureRate: 0.3, inFlight: 3, queued: 3 });
  assert.equal(o.bucketSeconds, 60);
  assert.ok(o.series.length >= 60 && o.series.length <= 62, `${o.series.length} buckets`);
  for (let i = 1; i < o.series.length; i++) assert.equal(Date.parse(o.series[i]!.time) - Date.parse(o.series[i - 1]!.time), 60_000);
  const sum = (k: 'submitted' | 'completed' | 'failed') => o.series.reduce((a, b) => a + b[k], 0);
  assert.deepEqual([sum('submitted'), sum('completed'), sum('failed')], [16, 7, 3]);
  // job-c0 was submitted 30 min ago: its bucket holds one submission.
  const c0 = NOW - 30 * 60_000;
  const bucket = o.series.find((b) => Date.parse(b.time) <= c0 && c0 < Date.parse(b.time) + 60_000)!;
  assert.equal(bucket.submitted, 1);
});

test('GET /api/overview: p50/p95 of durations by service type and model, queue wait', async () => {
  const o = await get<Overview>('/api/overview');
  // Linear interpolation between the nearest ranks (ClickHouse quantiles): comfyui [100,200,300,400,500,800,900].
  assert.deepEqual(o.durations.byServiceType, [
    { key: 'comfyui', count: 7, p50: 400, p95: 870 },
    { key: 'openai', count: 3, p50: 700, p95: 970 },
  ]);
  assert.deepEqual(o.durations.byModel, [
    { key: 'flux', count: 4, p50: 650, p95: 885 },
    { key: 'gpt-4o', count: 3, p50: 700, p95: 970 },
    { key: 'sdxl', count: 3, p50: 200, p95: 290 },
  ]);
  // 13 claimed jobs waited 1 s … 13 s.
  assert.deepEqual(o.queueWait, { p50: 7000, p95: 12_400 });
});

test('GET /api/overview: fleet and top errors', async () => {
  const o = await get<Overview>('/api/overview');
  assert.deepEqual(o.fleet, { machinesOnline: 1, machinesSeen: 2, workersOnline: 2, workersSeen: 3 });
  assert.deepEqual(o.topErrors, [
    { error_type: 'memory', count: 2, example: 'CUDA out of memory on job-f1' },
    { error_type: 'timeout', count: 1, example: 'job-t0 timed out after 1000 ms' },
  ]);
  // Over three hours the old job counts too; a range in the future has nothing.
  const wide = await get<Overview>('/api/overview?from=now-3h');
  assert.equal(wide.totals.submitted, 17);
  assert.equal(wide.totals.completed, 8);
  assert.equal(wide.bucketSeconds, 300);
  const future = await get<Overview>(`/api/overview?from=${NOW + 3_600_000}&to=${NOW + 7_200_000}`);
  assert.deepEqual(future.totals, { submitted: 0, completed: 0, failed: 0, failureRate: 0, inFlight: 0, queued: 0 });
  assert.deepEqual(future.queueWait, { p50: null, p95: null });
  assert.deepEqual(future.durations, { byServiceType: [], byModel: [] });
});

interface Machines {
  machines: { machine_id: string; status: string; last_seen: string; jobs: number; failed: number; failure_rate: number;
    workers: { worker_id: string; status: string; last_heartbeat: string | null; last_seen: string | null; current_job_id: string | null; service_types: string[] }[] }[];
}

test('GET /api/machines: online and silent machines, their jobs and workers', async () => {
  const r = await get<Machines>('/api/machines');
  assert.deepEqual(r.machines.map((m) => [m.machine_id, m.status, ms(m.last_seen), m.jobs, m.failed, m.failure_rate]), [
    ['m-1', 'online', NOW - 5_000, 8, 1, 0.125],
    ['m-2', 'silent', NOW - 5 * 60_000, 2, 2, 1],
  ]);
  const workers = r.machines.flatMap((m) => m.workers.map((w) => ({ ...w, machine: m.machine_id, last_heartbeat: ms(w.last_heartbeat), last_seen: ms(w.last_seen) })));
  assert.deepEqual(workers, [
    { machine: 'm-1', worker_id: 'w-1a', status: 'busy', last_heartbeat: NOW - 5_000, last_seen: NOW - 5_000, current_job_id: 'job-run-1', service_types: ['comfyui', 'a1111'] },
    { machine: 'm-1', worker_id: 'w-1b', status: 'busy', last_heartbeat: NOW - 40_000, last_seen: NOW - 20_000 + 1, current_job_id: 'job-run-2', service_types: ['openai'] },
    { machine: 'm-2', worker_id: 'w-2a', status: 'idle', last_heartbeat: NOW - 5 * 60_000, last_seen: NOW - 5 * 60_000, current_job_id: null, service_types: ['comfyui'] },
  ]);
  // A range before the fleet existed: nothing seen.
  assert.deepEqual((await get<Machines>('/api/machines?from=now-7d&to=now-6d')).machines, []);
});

interface Fields { fields: { name: string; kind: 'canonical' | 'attribute' }[] }

test('GET /api/fields: canonical fields and attribute keys seen, by prefix', async () => {
  const all = await get<Fields>('/api/fields');
  const kind = Object.fromEntries(all.fields.map((f) => [f.name, f.kind]));
  for (const c of ['level', 'service_type', 'job_id', 'message', 'duration_ms', 'model', 'event_type']) assert.equal(kind[c], 'canonical', c);
  for (const a of ['error_type', 'error', 'current_job_id', 'service_types', 'status', 'resource.service.name']) assert.equal(kind[a], 'attribute', a);
  assert.equal(all.fields.filter((f) => f.name === 'job_id').length, 1, 'canonical names are not repeated as attributes');
  const err = await get<Fields>('/api/fields?prefix=ERR');
  assert.deepEqual(err.fields, [{ name: 'error_type', kind: 'attribute' }, { name: 'error', kind: 'attribute' }]);
  const job = await get<Fields>('/api/fields?prefix=job');
  assert.deepEqual(job.fields, [{ name: 'job_id', kind: 'canonical' }]);
  assert.deepEqual((await get<Fields>('/api/fields?prefix=zzz')).fields, []);
});

interface Values { values: { value: string; count: number }[] }

test('GET /api/values: top values of a field with counts, by prefix', async () => {
  assert.deepEqual((await get<Values>('/api/values?field=error_type')).values, [{ value: 'memory', count: 2 }, { value: 'timeout', count: 1 }]);
  // Aliases resolve like the search language's; the prefix is case-insensitive.
  const jobs = await get<Values>(`/api/values?field=jobId&prefix=${q('JOB-Q')}`);
  assert.deepEqual(jobs.values, [{ value: 'job-q1', count: 1 }, { value: 'job-q2', count: 1 }]);
  const machines = await get<Values>('/api/values?field=machine_id');
  const expectM = (m: string) => recs.filter((r) => r.ms >= NOW - 3_600_000 && RESOURCES[r.res].machine_id === m).length;
  assert.deepEqual(machines.values, [{ value: 'm-1', count: expectM('m-1') }, { value: 'm-2', count: expectM('m-2') }].sort((a, b) => b.count - a.count));
  const levels = await get<Values>('/api/values?field=level&prefix=e');
  assert.deepEqual(levels.values, [{ value: 'error', count: 3 }]);
  const res = await get<Values>(`/api/values?field=${q('resource.service.name')}&prefix=ap`);
  assert.deepEqual(res.values, [{ value: 'api', count: recs.filter((r) => r.res === 'api' && r.ms >= NOW - 3_600_000).length }]);
  // The old job's error type is outside the default hour, inside three.
  assert.deepEqual((await get<Values>('/api/values?field=error_type&prefix=st')).values, []);
  assert.deepEqual((await get<Values>('/api/values?field=error_type&prefix=st&from=now-3h')).values, [{ value: 'stale', count: 1 }]);
});

type Facets = { facets: Record<string, { value: string; count: number }[]>; total: number; truncated: boolean };

/** The facets computed from the records sent (the ground truth). */
function expectedFacets(sel: (r: Rec) => boolean, fields: string[]): Facets {
  const inHour = recs.filter((r) => r.ms >= NOW - 3_600_000 && sel(r));
  const value = (r: Rec, f: string): string => {
    const res = RESOURCES[r.res];
    switch (f) {
      case 'level': return r.level;
      case 'service_type': return String(r.attrs.service_type ?? res.service_type ?? '');
      case 'machine_id': return res.machine_id ?? '';
      default: return String(r.attrs[f] ?? '');
    }
  };
  const facets: Facets['facets'] = {};
  for (const f of fields) {
    const counts = new Map<string, number>();
    for (const r of inHour) {
      const v = value(r, f);
      if (v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    facets[f] = [...counts].map(([v, count]) => ({ value: v, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, 10);
  }
  return { facets, total: inHour.length, truncated: false };
}

test('GET /api/facets: top values per field over the matching logs', async () => {
  const fields = ['level', 'service_type', 'event_type', 'machine_id', 'model', 'error_type'];
  const all = await get<Facets>('/api/facets');
  assert.deepEqual(all, expectedFacets(() => true, fields));
  assert.equal(all.facets.level!.find((x) => x.value === 'error')!.count, 3);
  const m2 = await get<Facets>(`/api/facets?q=${q('machine_id:m-2')}`);
  assert.deepEqual(m2, expectedFacets((r) => r.res === 'w-2a' || r.res === 'm-2', fields));
  assert.deepEqual(m2.facets.error_type, [{ value: 'memory', count: 2 }]);
  const some = await get<Facets>(`/api/facets?q=${q('level:error')}&fields=${q('error_type,workerId,resource.service.name')}`);
  assert.deepEqual(Object.keys(some.facets), ['error_type', 'workerId', 'resource.service.name']);
  assert.deepEqual(some.facets.error_type, [{ value: 'memory', count: 2 }, { value: 'timeout', count: 1 }]);
  assert.deepEqual(some.facets.workerId, [{ value: 'w-2a', count: 2 }, { value: 'w-1b', count: 1 }]);
  assert.deepEqual(some.facets['resource.service.name'], [{ value: 'worker', count: 3 }]);
  assert.equal(some.total, 3);
  const none = await get<Facets>(`/api/facets?q=${q('nothing-matches-this')}&fields=level`);
  assert.deepEqual(none, { facets: { level: [] }, total: 0, truncated: false });
});

test('bad parameters get a 400 with a message', async () => {
  const bad = [
    '/api/overview?from=yesterday', '/api/overview?from=now-40d', '/api/overview?from=now&to=now-1h',
    '/api/machines?to=garbage', '/api/machines?from=now-32d',
    '/api/fields?prefix=' + 'x'.repeat(201), '/api/fields?prefix=%00', '/api/fields?from=nope',
    '/api/values', '/api/values?field=', '/api/values?field=message', '/api/values?field=timestamp', '/api/values?field=resource.',
    '/api/values?field=level&prefix=' + 'y'.repeat(300), '/api/values?field=level&from=x',
    '/api/facets?q=level:(', '/api/facets?fields=a,b,c,d,e,f,g,h,i,j,k', '/api/facets?fields=body', '/api/facets?from=now-60d',
  ];
  for (const path of bad) {
    const r = await fetch(t.url + path);
    const body = await r.json() as { error: string; message: string };
    assert.equal(r.status, 400, `${path}: ${JSON.stringify(body)}`);
    assert.match(body.error, /^JS_(BAD_REQUEST|QUERY_SYNTAX)$/, path);
    assert.ok(body.message.length > 0, path);
  }
});

test('injection attempts in q, field, fields and prefix: no error, no leak', async () => {
  const rows = await count(t.server);
  const hostile = [
    "x') OR 1=1 --", "'; DROP TABLE otel_logs; --", '{p0:String}', 'level`) FROM system.users --', "\\' UNION SELECT name FROM system.tables --",
  ];
  for (const h of hostile) {
    const v = await get<Values>(`/api/values?field=${q(h)}`);
    assert.deepEqual(v.values, [], h);
    const p = await get<Values>(`/api/values?field=level&prefix=${q(h)}`);
    assert.deepEqual(p.values, [], h);
    const f = await get<Fields>(`/api/fields?prefix=${q(h)}`);
    assert.deepEqual(f.fields, [], h);
    const fa = await get<Facets>(`/api/facets?fields=${q(`level,${h.replace(/,/g, ' ')}`)}`);
    assert.equal(fa.facets[h.replace(/,/g, ' ')]!.length, 0, h);
    const r = await fetch(`${t.url}/api/facets?q=${q(`level:${h}`)}`);
    assert.ok(r.status === 200 || r.status === 400, `${h}: ${r.status}`);
    if (r.status === 200) assert.equal(((await r.json()) as Facets).total, 0, h);
    else await r.body?.cancel();
  }
  // A field called __proto__ is a field like another.
  const proto = await get<Facets>('/api/facets?fields=__proto__,level');
  assert.deepEqual(Object.keys(proto.facets), ['__proto__', 'level']);
  assert.equal(await count(t.server), rows);
});

/**
 * The compiled SQL on a real engine (chdb 3.4.0, ClickHouse 26.7): which
 * rows match, with and without the text index, and that hostile input is
 * inert. One Session per file (the test runner gives each file a process).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { Session } from 'chdb';
import { compileQuery, jobStatesTable, LOGS_TABLE, SPANS_TABLE, type TableDescriptor } from './index.js';
import { ALL_ROWS, FILLER, HOSTILE, LOGS_DDL, SPAN_ROWS, SPANS_DDL, toJsonEachRow, type LogFixture } from './test-fixtures.js';

let dir = '';
let session: Session;

before(async () => {
  dir = fs.mkdtempSync(`${os.tmpdir()}/jsq-`);
  session = new Session(dir);
  await session.queryAsync(LOGS_DDL);
  await session.insert({ table: 'otel_logs', values: toJsonEachRow(ALL_ROWS), format: 'JSONEachRow' });
  await session.queryAsync(SPANS_DDL);
  await session.insert({ table: 'otel_traces', values: SPAN_ROWS.map((r) => JSON.stringify(r)).join('\n'), format: 'JSONEachRow' });
});

after(() => {
  session?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const NO_INDEX = ' SETTINGS use_skip_indexes = 0, query_plan_direct_read_from_text_index = 0';

async function ids(query: string, table: TableDescriptor = LOGS_TABLE, settings = ''): Promise<number[]> {
  const { sql, params } = compileQuery(query, table);
  const from = table === SPANS_TABLE ? 'otel_traces' : 'otel_logs';
  const r = await session.queryBindAsync(`SELECT RowId FROM ${from} WHERE ${sql} ORDER BY RowId${settings}`, params, { format: 'JSONEachRow' });
  return r.text().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { RowId: number }).RowId);
}

const where = (pred: (r: LogFixture) => boolean) => ALL_ROWS.filter(pred).map((r) => r.id);
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const dur = (r: LogFixture) => (r.attrs?.duration_ms === undefined ? undefined : Number(r.attrs.duration_ms));
const ALL = range(1, 50);

const LOG_CASES: Array<[string, number[]]> = [
  ['service_type:comfyui level:error "CUDA out of memory" -event_type:job_progress duration_ms:>5000 job_id:job-123*', [1]],
  ['', ALL],
  ['*', ALL],
  // Free text: whole tokens, case-insensitive; phrases need adjacency and order.
  ['"CUDA out of memory"', [1, 2]],
  ['cuda', [1, 2, 4]],
  ['CUDA memory', [1, 2, 4]],
  ['oom', []],
  ['*oom*', [5]],
  ['OOMK*', [5]],
  ['job-123', [6]],
  ['"Café über"', [7]],
  ['CAFÉ', [7]],
  ['"->"', [10]],
  ['"disk full"', [11]],
  ['used_by', [14]],
  ['*used_by*', [14]],
  ['50\\%*', [3, 14]],
  ['*C\\:\\\\models*', [15]],
  ['message:""', [12]],
  ['message:*', ALL.filter((i) => i !== 12)],
  ['-cuda -*oom*', ALL.filter((i) => ![1, 2, 4, 5].includes(i))],
  // Fields.
  ['job_id:job-123', [1, 3]],
  ['jobId:job-123*', [1, 2, 3]],
  ['job_id:*23', [1, 3, 38]],
  ['level:ERROR', [1, 2, 5, 11]],
  ['level:warning OR level:fatal', [4, 10, 14]],
  ['-level:info', [1, 2, 4, 5, 7, 10, 11, 14]],
  ['severity:>=17', [1, 2, 5, 10, 11]],
  ['(service_type:comfyui OR service_type:a1111) level:error', [1, 2, 5, 11]],
  ['service_type:(comfyui OR a1111) AND NOT (level:info OR level:debug)', [1, 2, 4, 5, 10, 11, 14]],
  ['machine_id:m-2', where((r) => r.machine === 'm-2')],
  // Numbers in attributes (NOT includes records without the attribute).
  ['duration_ms:[1000 TO 2000]', where((r) => dur(r) !== undefined && dur(r)! >= 1000 && dur(r)! <= 2000)],
  ['duration_ms:{1000 TO 2000}', where((r) => dur(r) !== undefined && dur(r)! > 1000 && dur(r)! < 2000)],
  ['-duration_ms:>100', where((r) => !(dur(r) !== undefined && dur(r)! > 100))],
  ['duration:>=3400', [1, 2, 49, 50]],
  ['http.status_code:>=500', [8]],
  ['http.method:GET', [9]],
  ['http.method:(GET OR POST)', [8, 9]],
  ['error_type:memory', [5]],
  ['gpu.util:>0.9', [14]],
  ['resource.host.name:gpu-*', [10, 15]],
  ['resource.host.name:*', [10, 15]],
  ['-resource.host.name:*', ALL.filter((i) => i !== 10 && i !== 15)],
  // Times.
  ['timestamp:2024-05-02', [13]],
  ['timestamp:>=2024-05-01T11:00:00Z', [13, ...FILLER.map((r) => r.id)]],
  ['timestamp:<2024-05-01T10:00:03Z', [1, 2]],
  ['timestamp:[2024-05-01T12:00:02+02:00 TO 1714557604000]', [2, 3, 4]],
  ['timestamp:>now-1h', []],
  ['timestamp:<now', ALL],
];

test('logs: each query matches exactly the expected rows, with and without the text index', async () => {
  for (const [q, want] of LOG_CASES) {
    assert.deepEqual(await ids(q), [...want].sort((a, b) => a - b), q);
    assert.deepEqual(await ids(q, LOGS_TABLE, NO_INDEX), [...want].sort((a, b) => a - b), `${q} (no index)`);
  }
});

test('logs: the text index serves words, phrases and wildcards', async () => {
  for (const q of ['cuda', '"CUDA out of memory"', '*oomkilled*', 'segfault']) {
    const { sql, params } = compileQuery(q, LOGS_TABLE);
    const r = await session.queryBindAsync(`EXPLAIN indexes = 1 SELECT RowId FROM otel_logs WHERE ${sql}`, params, { format: 'TSVRaw' });
    const plan = r.text();
    assert.match(plan, /Name: idx_body/, `${q}: text index not considered\n${plan}`);
    const m = /Name: idx_body[\s\S]*?Granules: (\d+)\/(\d+)/.exec(plan);
    assert.ok(m !== null && Number(m[1]) < Number(m[2]), `${q}: the index pruned nothing\n${plan}`);
  }
});

test('logs: hostile values match nothing and break nothing, then match themselves exactly', async () => {
  const quoted = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;
  const bare = (s: string) => s.replace(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/g, '\\$&');
  const shapes = (s: string) => [
    quoted(s), `job_id:${quoted(s)}`, `job_id:${bare(s)}*`, `*${bare(s)}*`, `${quoted(s)}:${quoted(s)}`,
    `${quoted(`resource.${s}`)}:*`, `level:${quoted(s)}`, `${quoted(s)}:>${quoted(s)}`,
  ];
  for (const s of HOSTILE) {
    for (const q of shapes(s)) assert.deepEqual(await ids(q), [], q);
  }
  const count = await session.queryAsync('SELECT toUInt32(count()) AS n FROM otel_logs', { format: 'JSONEachRow' });
  assert.deepEqual(count.json(), { n: 50 });

  // Now store each hostile value (as job id, attribute key and value, body) and find it again.
  const hostileRows: LogFixture[] = HOSTILE.map((s, i) => ({
    id: 101 + i, ts: '2024-05-03 00:00:00', level: 'info', sev: 9, st: 'hostile', job: s, body: s, attrs: { [s]: s },
  }));
  await session.insert({ table: 'otel_logs', values: toJsonEachRow(hostileRows), format: 'JSONEachRow' });
  for (const r of hostileRows) {
    const s = r.job;
    assert.deepEqual(await ids(`job_id:${quoted(s)}`), [r.id], `job_id ${JSON.stringify(s)}`);
    assert.deepEqual(await ids(`job_id:${bare(s)}`), [r.id], `bare job_id ${JSON.stringify(s)}`);
    assert.deepEqual(await ids(`${quoted(s)}:${quoted(s)}`), [r.id], `attribute ${JSON.stringify(s)}`);
    assert.deepEqual(await ids(`${quoted(s)}:*`), [r.id], `attribute exists ${JSON.stringify(s)}`);
    assert.ok((await ids(`service_type:hostile ${quoted(s)}`)).includes(r.id), `free text ${JSON.stringify(s)}`);
    assert.ok((await ids(`service_type:hostile *${bare(s)}*`)).includes(r.id), `substring ${JSON.stringify(s)}`);
  }
});

test('spans: derived duration, case-insensitive status, free text on an unindexed column', async () => {
  const cases: Array<[string, number[]]> = [
    ['duration_ms:>5000', [1, 4]],
    ['duration:[1000 TO 6000}', [2]],
    ['status:error', [1]],
    ['kind:SERVER -status:ok', [1]],
    ['execute', [1]],
    ['"load model"', [2]],
    ['name:comfyui.*', [1, 2]],
    ['http.route:/api/*', [1, 3]],
    ['job_id:job-1 -name:comfyui.execute', [2]],
  ];
  for (const [q, want] of cases) assert.deepEqual(await ids(q, SPANS_TABLE), want, q);
});

test('job states: the compiled expression works in HAVING over aggregates', async () => {
  const jobs = jobStatesTable({
    status: 'argMax(EventStatus, Timestamp)',
    duration_ms: 'max(toFloat64OrNull(LogAttributes[\'duration_ms\']))',
    attempts: 'uniqExact(MachineId)',
  });
  await session.queryAsync(`CREATE VIEW job_events AS SELECT *, multiIf(EventType = 'job_failed', 'failed',
    EventType = 'job_progress', 'in_progress', 'queued') AS EventStatus FROM otel_logs WHERE ServiceType != 'hostile'`);
  const run = async (q: string) => {
    const { sql, params } = compileQuery(q, jobs);
    const r = await session.queryBindAsync(
      `SELECT JobId FROM job_events GROUP BY JobId HAVING ${sql} ORDER BY JobId`, params, { format: 'JSONEachRow' });
    return r.text().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { JobId: string }).JobId);
  };
  assert.deepEqual(await run('status:FAILED'), ['job-126']);
  assert.deepEqual(await run('status:in_progress duration_ms:>=3400'), ['job-123', 'job-934', 'job-935']);
  assert.deepEqual(await run('job_id:job-12* -duration_ms:*'), ['job-124', 'job-125', 'job-126', 'job-127', 'job-128']);
  assert.deepEqual(await run('job_id:job-123 duration_ms:[1000 TO 6000]'), ['job-123']);
});

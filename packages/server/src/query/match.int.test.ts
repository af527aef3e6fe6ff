/**
 * Live tail matches rows in memory (match.ts) while searches run in
 * ClickHouse (compile-sql.ts): the same queries over the same rows must
 * select the same rows in both.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRow } from '@jobscope/core';
import { ChdbStore, migrate } from '../store/index.js';
import { tempDir } from '../testkit/temp-dir.js';
import { compileMatcher, compileQuery, LOGS_TABLE } from './index.js';

const t0 = 1_795_000_000_000_000_000n;
const row = (i: number, over: Partial<LogRow>, attrs: Record<string, string> = {}): LogRow => ({
  Timestamp: (t0 + BigInt(i) * 1_000_000_000n).toString(), TraceId: '', SpanId: '', TraceFlags: 0, SeverityText: 'info',
  SeverityNumber: 9, ServiceName: 'worker', Body: '', ResourceSchemaUrl: '', ResourceAttributes: { region: 'eu' }, ScopeSchemaUrl: '',
  ScopeName: '', ScopeVersion: '', ScopeAttributes: {}, LogAttributes: { row: String(i), ...attrs }, JobId: '', MachineId: 'm-1',
  WorkerId: 'w-1', ServiceType: 'comfyui', ConnectorId: '', EventType: '', Dataset: 'default', ...over,
});

const ROWS: LogRow[] = [
  row(0, { Body: 'CUDA out of memory while sampling', SeverityText: 'error', SeverityNumber: 17, JobId: 'job-123', EventType: 'job_failed' }, { duration_ms: '7000', error_type: 'memory' }),
  row(1, { Body: 'job progress 50%', JobId: 'job-123', EventType: 'job_progress' }, { progress: '50' }),
  row(2, { Body: 'Rate limited: HTTP 429', SeverityText: 'warn', SeverityNumber: 13, JobId: 'job-124', ServiceType: 'openai' }, { duration_ms: '1200', status_code: '429' }),
  row(3, { Body: 'out-of-memory killer invoked', SeverityText: 'error', SeverityNumber: 17, MachineId: 'm-2' }),
  row(4, { Body: 'memoryless process OK', JobId: 'job-9' }, { duration_ms: '4999' }),
  row(5, { Body: 'weird -> arrow', ServiceType: 'a1111', ResourceAttributes: { region: 'us' } }),
  row(6, { Body: 'Completed in 5000 ms', JobId: 'job-1234', EventType: 'job_completed' }, { duration_ms: '5000', model: 'sdxl' }),
];

const QUERIES = [
  '', 'memory', '"out of memory"', 'level:error', 'level:ERROR', 'level:warning', '-level:info', 'job_id:job-123', 'job_id:job-12*',
  'jobId:job-123', 'job.id:job-124', 'service_type:comfyui level:error', 'service_type:(openai OR a1111)', 'duration_ms:>5000',
  'duration_ms:>=5000', 'duration_ms:[1000 TO 5000]', 'duration_ms:{1000 TO 5000}', 'duration_ms:*', '-duration_ms:*',
  'event_type:job_*', '*oom*', 'memor*', '"->"', 'resource.region:us', 'error_type:memory OR status_code:429',
  'NOT (level:error OR level:warn)', 'machine_id:m-2', 'model:sdxl', 'severity:>=13', 'timestamp:>1795000003000000000',
  'job_id:*4', 'progress:50', 'CUDA sampling', '"rate limited"',
];

const { dir, cleanup } = tempDir('jobscope-match-');
let store: ChdbStore;
before(async () => {
  store = ChdbStore.open({ dataDir: dir });
  await migrate(store);
  await store.insert('otel_logs', Buffer.from(ROWS.map((r) => JSON.stringify(r)).join('\n')));
});
after(async () => { await store.close(); cleanup(); });

for (const q of QUERIES) {
  test(`tail matcher agrees with SQL: ${q || '(empty)'}`, async () => {
    const { sql, params } = compileQuery(q, LOGS_TABLE);
    const viaSql = (await store.query<{ r: string }>(`SELECT LogAttributes['row'] AS r FROM otel_logs WHERE ${sql} ORDER BY toUInt32(r)`, params)).map((x) => x.r);
    const match = compileMatcher(q);
    const viaJs = ROWS.filter((r) => match(r)).map((r) => r.LogAttributes.row!);
    assert.deepEqual(viaJs, viaSql);
  });
}

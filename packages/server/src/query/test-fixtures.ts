/**
 * Test data: hostile values (injection.test.ts, query.int.test.ts), and for
 * the chdb test an otel_logs-like table (the exporter's columns + job
 * columns + a RowId to assert on) with 50 known rows, and a few spans.
 */
import { LOGS_TABLE } from './schema.js';
import { textIndexDefinition } from './text-search.js';

/** Hostile values: each must reach ClickHouse only as a parameter. */
export const HOSTILE: readonly string[] = [
  "'); DROP TABLE otel_logs; --",
  "x' OR '1'='1",
  "\\' OR 1=1 --",
  '{p0:String}',
  '{p0:String}} OR 1 OR {p1:String',
  '*/ SELECT 1 /*',
  '"quoted" and `ticks`',
  'C:\\path\\to\\',
  'ünïcödé 😀 中文 ΣΑΣ',
  'nul\u0000byte',
  'tab\tnew\nline\rret',
  '100%_done\\%',
  "map'key\"with]quotes[",
  '$1 ? :name @var',
];

export const LOGS_DDL = `
CREATE TABLE otel_logs (
    RowId UInt32,
    Timestamp DateTime64(9, 'UTC'),
    TraceId String,
    SpanId String,
    SeverityText LowCardinality(String),
    SeverityNumber UInt8,
    ServiceName LowCardinality(String),
    Body String,
    ResourceAttributes Map(LowCardinality(String), String),
    ScopeName String,
    LogAttributes Map(LowCardinality(String), String),
    JobId String,
    MachineId LowCardinality(String),
    WorkerId LowCardinality(String),
    ServiceType LowCardinality(String),
    ConnectorId LowCardinality(String),
    EventType LowCardinality(String),
    Dataset LowCardinality(String),
    ${textIndexDefinition(LOGS_TABLE, 'idx_body')}
) ENGINE = MergeTree
ORDER BY (ServiceType, Timestamp)
SETTINGS index_granularity = 4`;

export const SPANS_DDL = `
CREATE TABLE otel_traces (
    RowId UInt32,
    Timestamp DateTime64(9, 'UTC'),
    TraceId String, SpanId String, ParentSpanId String,
    SpanName LowCardinality(String), SpanKind LowCardinality(String), ServiceName LowCardinality(String),
    ResourceAttributes Map(LowCardinality(String), String), SpanAttributes Map(LowCardinality(String), String),
    Duration UInt64, StatusCode LowCardinality(String), StatusMessage String,
    JobId String, MachineId String, WorkerId String, ServiceType String, Dataset String
) ENGINE = MergeTree ORDER BY Timestamp`;

export interface LogFixture {
  id: number;
  ts: string;
  level: string;
  sev: number;
  st: string;
  job: string;
  body: string;
  event?: string;
  machine?: string;
  attrs?: Record<string, string>;
  res?: Record<string, string>;
}

const day = '2024-05-01';
export const SPECIFIC: readonly LogFixture[] = [
  { id: 1, ts: `${day} 10:00:01`, level: 'error', sev: 17, st: 'comfyui', job: 'job-123', body: 'CUDA out of memory while loading SDXL', attrs: { duration_ms: '6000', model: 'sdxl' } },
  { id: 2, ts: `${day} 10:00:02`, level: 'error', sev: 17, st: 'comfyui', job: 'job-1234', body: 'cuda Out-Of-Memory: tried to allocate 2.00 GiB', attrs: { duration_ms: '4000' } },
  { id: 3, ts: `${day} 10:00:03`, level: 'info', sev: 9, st: 'comfyui', job: 'job-123', body: 'progress 50% (step 10/20)', event: 'job_progress', attrs: { duration_ms: '1500' } },
  { id: 4, ts: `${day} 10:00:04`, level: 'warn', sev: 13, st: 'comfyui', job: 'job-124', body: 'memory out of CUDA, reordered words', machine: 'm-2' },
  { id: 5, ts: `${day} 10:00:05`, level: 'error', sev: 17, st: 'a1111', job: 'job-200', body: 'OOMKilled: container restarted', attrs: { error_type: 'memory' } },
  { id: 6, ts: `${day} 10:00:06`, level: 'info', sev: 9, st: 'a1111', job: 'job-201', body: 'retrying after job-123 failed', event: 'job_retried' },
  { id: 7, ts: `${day} 10:00:07`, level: 'debug', sev: 5, st: 'ollama', job: 'job-500', body: 'Café ÜBER naïve — unicode check' },
  { id: 8, ts: `${day} 10:00:08`, level: 'info', sev: 9, st: 'ollama', job: 'job-501', body: 'Connection reset by peer', attrs: { 'http.status_code': '502', 'http.method': 'POST' } },
  { id: 9, ts: `${day} 10:00:09`, level: 'info', sev: 9, st: 'ollama', job: 'job-502', body: 'GET /api/tags 200', attrs: { 'http.status_code': '200', 'http.method': 'GET' } },
  { id: 10, ts: `${day} 10:00:10`, level: 'fatal', sev: 21, st: 'comfyui', job: 'job-125', body: 'Segfault in worker -> core dumped', res: { 'host.name': 'gpu-7' } },
  { id: 11, ts: `${day} 10:00:11`, level: 'error', sev: 17, st: 'comfyui', job: 'job-126', body: 'ERROR: disk full', event: 'job_failed', attrs: { error_type: 'disk' } },
  { id: 12, ts: `${day} 10:00:12`, level: 'info', sev: 9, st: 'comfyui', job: 'job-127', body: '', event: 'job_started' },
  { id: 13, ts: '2024-05-02 00:00:00', level: 'info', sev: 9, st: 'comfyui', job: 'job-128', body: 'next day heartbeat', event: 'worker_heartbeat' },
  { id: 14, ts: `${day} 10:00:14`, level: 'warn', sev: 13, st: 'a1111', job: 'job-202', body: '50% of VRAM used_by model', attrs: { 'gpu.util': '0.95' } },
  { id: 15, ts: `${day} 10:00:15`, level: 'info', sev: 9, st: 'a1111', job: 'job-203', body: 'path C:\\models\\sdxl loaded', res: { 'host.name': 'gpu-8' } },
];

const SERVICE_TYPES = ['comfyui', 'a1111', 'ollama'];

/** Rows 16..50: progress events, duration_ms = n * 100 for n = 1..35. */
export const FILLER: readonly LogFixture[] = Array.from({ length: 35 }, (_, k) => {
  const n = k + 1;
  const mm = String(Math.floor(n / 60)).padStart(2, '0');
  const ss = String(n % 60).padStart(2, '0');
  return {
    id: 15 + n, ts: `${day} 11:${mm}:${ss}`, level: 'info', sev: 9, st: SERVICE_TYPES[n % 3],
    job: `job-9${String(n).padStart(2, '0')}`, body: `step ${n} of 35 done`, event: 'job_progress',
    machine: `m-${n % 4}`, attrs: { duration_ms: String(n * 100) },
  };
});

export const ALL_ROWS: readonly LogFixture[] = [...SPECIFIC, ...FILLER];

export function toJsonEachRow(rows: readonly LogFixture[]): string {
  return rows.map((r) => JSON.stringify({
    RowId: r.id, Timestamp: r.ts, TraceId: '', SpanId: '', SeverityText: r.level, SeverityNumber: r.sev,
    ServiceName: 'worker', Body: r.body, ResourceAttributes: r.res ?? {}, ScopeName: 'jobscope',
    LogAttributes: r.attrs ?? {}, JobId: r.job, MachineId: r.machine ?? 'm-1', WorkerId: 'w-1',
    ServiceType: r.st, ConnectorId: '', EventType: r.event ?? '', Dataset: 'default',
  })).join('\n');
}

export const SPAN_ROWS = [
  { RowId: 1, Timestamp: `${day} 10:00:00`, SpanName: 'comfyui.execute', SpanKind: 'Server', Duration: 6_000_000_000, StatusCode: 'Error', JobId: 'job-1', SpanAttributes: { 'http.route': '/api/prompt' } },
  { RowId: 2, Timestamp: `${day} 10:00:01`, SpanName: 'comfyui.load_model', SpanKind: 'Internal', Duration: 1_500_000_000, StatusCode: 'Ok', JobId: 'job-1', SpanAttributes: {} },
  { RowId: 3, Timestamp: `${day} 10:00:02`, SpanName: 'HTTP GET', SpanKind: 'Client', Duration: 20_000_000, StatusCode: 'Unset', JobId: 'job-2', SpanAttributes: { 'http.route': '/api/tags' } },
  { RowId: 4, Timestamp: `${day} 10:00:03`, SpanName: 'ollama.generate', SpanKind: 'Server', Duration: 9_000_000_000, StatusCode: 'Ok', JobId: 'job-3', SpanAttributes: {} },
].map((s) => ({
  TraceId: 't', SpanId: `s${s.RowId}`, ParentSpanId: '', ServiceName: 'worker', ResourceAttributes: {}, StatusMessage: '',
  MachineId: 'm-1', WorkerId: 'w-1', ServiceType: 'comfyui', Dataset: 'default', ...s,
}));

/**
 * Benchmarks 2 and 3: query latency through the real HTTP API at N rows,
 * bytes on disk per row, and the server's peak RSS.
 *
 * One server child: bulk-load N generated rows spread over the last 24 h
 * straight into its store (100k-row inserts), let merges settle, then time
 * each query `runs` times over HTTP (and the storage time inside the server,
 * from the first query's start to the last one's end). Then OPTIMIZE FINAL,
 * measure the bytes, and time the queries again on the merged table.
 */
import { Child } from './ipc.js';
import type { InsertResult, QueryTiming, Usage } from './child.js';
import { jobId, RARE_TOKEN } from './data.js';

export interface QueryPhaseOptions {
  rows: number;
  runs: number;
  batchRows: number;
  log: (m: string) => void;
}

export interface QueryStat {
  name: string;
  path: string;
  targetMs: number;
  httpMs: number[];
  storeMs: number[];
  /** Each storage query's own duration per run (queries issued together wait for each other on the one reader session). */
  eachMs: number[][];
  /** What the last response held (rows, buckets …), as a check the query did its work. */
  check: string;
}

export interface DiskStat { bytes: number; rows: number; parts: number }

export interface QueryPhaseResult {
  load: InsertResult;
  mergeWaitSeconds: number;
  partsAtQueryTime: number;
  queries: QueryStat[];
  queriesOptimized: QueryStat[];
  optimizeSeconds: number;
  diskBefore: DiskStat;
  diskAfter: DiskStat;
  /** Compressed bytes of the largest columns and of all skip indexes, after OPTIMIZE. */
  columns: { name: string; bytes: number }[];
  indexBytes: number;
  jobStatesBytes: number;
  maxRssBytes: number;
}

export const median = (a: number[]): number => quantile(a, 0.5);

export function quantile(a: number[], q: number): number {
  const s = [...a].sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

const PARTS_SQL = (table: string): string => `SELECT sum(bytes_on_disk) AS bytes, sum(rows) AS rows, count() AS parts
  FROM system.parts WHERE database = currentDatabase() AND table = '${table}' AND active`;

async function disk(c: Child, table = 'otel_logs'): Promise<DiskStat> {
  const [r] = await c.call<Record<string, number>[]>('query', { sql: PARTS_SQL(table) });
  return { bytes: Number(r?.bytes ?? 0), rows: Number(r?.rows ?? 0), parts: Number(r?.parts ?? 0) };
}

async function waitForMerges(c: Child, maxSeconds: number): Promise<number> {
  const t0 = performance.now();
  while ((performance.now() - t0) / 1000 < maxSeconds) {
    const [r] = await c.call<{ n: number }[]>('query', { sql: 'SELECT count() AS n FROM system.merges' });
    if (Number(r?.n ?? 0) === 0) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  return (performance.now() - t0) / 1000;
}

interface Case { name: string; targetMs: number; path: (run: number) => string; check: (body: unknown) => string }

function cases(rows: number, runs: number): Case[] {
  // Jobs have 8-13 records, so ids below rows/13 exist; spread the lookups over them.
  const jobs = Math.floor(rows / 13);
  return [
    {
      name: 'job lookup', targetMs: 20,
      path: (i) => `/api/jobs/${encodeURIComponent(jobId(Math.floor(((i + 0.5) * jobs) / runs)))}`,
      check: (b) => { const j = b as { job: unknown; timeline: unknown[] }; return `${j.timeline.length} timeline items, job state ${j.job ? 'found' : 'MISSING'}`; },
    },
    {
      name: 'rare-token search, 24 h', targetMs: 50,
      path: () => `/api/logs?q=${RARE_TOKEN}&from=now-24h`,
      check: (b) => `${(b as { rows: unknown[] }).rows.length} rows`,
    },
    {
      name: 'errors/min by service_type, 24 h', targetMs: 200,
      path: () => `/api/stats?q=${encodeURIComponent('level:error')}&by=service_type&interval=1m&from=now-24h`,
      check: (b) => { const s = b as { keys: string[]; buckets: { count: number }[] }; return `${s.buckets.length} buckets, ${s.keys.length} keys, ${s.buckets.reduce((n, x) => n + x.count, 0)} errors`; },
    },
  ];
}

async function timeQueries(c: Child, base: string, rows: number, runs: number): Promise<QueryStat[]> {
  const out: QueryStat[] = [];
  for (const q of cases(rows, runs)) {
    const stat: QueryStat = { name: q.name, path: q.path(0), targetMs: q.targetMs, httpMs: [], storeMs: [], eachMs: [], check: '' };
    for (let i = -2; i < runs; i++) { // two warm-up runs
      await c.call('timings');
      const t = performance.now();
      const res = await fetch(base + q.path(Math.max(i, 0)));
      const text = await res.text();
      const ms = performance.now() - t;
      if (res.status !== 200) throw new Error(`${q.path(i)} answered ${res.status}: ${text.slice(0, 200)}`);
      const tm = await c.call<QueryTiming[]>('timings');
      if (i < 0) continue;
      stat.httpMs.push(ms);
      stat.storeMs.push(Math.max(...tm.map((x) => x.start + x.ms)) - Math.min(...tm.map((x) => x.start)));
      stat.eachMs.push(tm.map((x) => x.ms));
      stat.check = q.check(JSON.parse(text));
    }
    out.push(stat);
  }
  return out;
}

export async function runQueries(o: QueryPhaseOptions): Promise<QueryPhaseResult> {
  const c = await Child.start('server');
  try {
    const base = await c.call<string>('url');
    const now = Date.now();
    // Rows from 23h50m ago to 5 min ago, so a later `from=now-24h` still covers them.
    const data = { total: o.rows, seed: 1234, startMs: now - 23 * 3_600_000 - 50 * 60_000, spanMs: 23 * 3_600_000 + 45 * 60_000 };
    o.log(`queries: loading ${o.rows} rows over 24 h`);
    const load = await c.call<InsertResult>('load', { data, batchRows: o.batchRows });
    o.log(`queries: loaded at ${Math.round(load.rows / load.seconds)} rows/s (insert time only); waiting for merges`);
    const mergeWaitSeconds = await waitForMerges(c, 120);
    const diskBefore = await disk(c);
    o.log(`queries: ${diskBefore.parts} parts; timing ${o.runs} runs of each query`);
    const queries = await timeQueries(c, base, o.rows, o.runs);
    const t = performance.now();
    await c.call('exec', { sql: 'OPTIMIZE TABLE otel_logs FINAL' });
    const optimizeSeconds = (performance.now() - t) / 1000;
    const diskAfter = await disk(c);
    o.log(`queries: OPTIMIZE FINAL took ${optimizeSeconds.toFixed(1)} s; timing again`);
    const queriesOptimized = await timeQueries(c, base, o.rows, o.runs);
    const columns = (await c.call<{ name: string; bytes: number }[]>('query', {
      sql: `SELECT name, data_compressed_bytes AS bytes FROM system.columns
        WHERE database = currentDatabase() AND table = 'otel_logs' ORDER BY bytes DESC LIMIT 8`,
    })).map((r) => ({ name: r.name, bytes: Number(r.bytes) }));
    const [idx] = await c.call<{ b: number }[]>('query', {
      sql: `SELECT sum(data_compressed_bytes) AS b FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'otel_logs'`,
    });
    const jobStates = await disk(c, 'job_states');
    const u = await c.call<Usage>('usage');
    return {
      load, mergeWaitSeconds, partsAtQueryTime: diskBefore.parts, queries, queriesOptimized, optimizeSeconds,
      diskBefore, diskAfter, columns, indexBytes: Number(idx?.b ?? 0), jobStatesBytes: jobStates.bytes, maxRssBytes: u.maxRssBytes,
    };
  } finally {
    await c.stop();
  }
}

/**
 * Benchmark 1: ingest through the whole server path vs the engine's ceiling,
 * on the same rows.
 *
 * - full: pre-encoded OTLP protobuf requests, POSTed over keep-alive HTTP by
 *   several concurrent senders to a real server in a child process (decode →
 *   normalize → JSONEachRow → WAL → flusher → chdb insert). The window ends
 *   when every row is queryable (count() in otel_logs reaches the total).
 * - direct: the same rows as prepared JSONEachRow buffers, inserted by a
 *   child process straight into a ChdbStore in 100k-row batches.
 * Both count the CPU of their child (all threads, chdb's included) over the
 * measured window, and both first ingest the same small warm-up data set.
 */
import { Agent, request } from 'node:http';
import type { WriterStats } from '../ingest/writer.js';
import { Child } from './ipc.js';
import type { InsertResult, Usage } from './child.js';
import { protobufBodies, type Body } from './prepare.js';
import type { DataOptions } from './data.js';

export interface IngestOptions {
  rows: number;
  warmupRows: number;
  concurrency: number;
  minPerRequest: number;
  maxPerRequest: number;
  directBatchRows: number;
  /** Write a CPU profile of the server's main thread over the measured window here. */
  profileFile?: string;
  log: (m: string) => void;
}

export interface PathResult {
  rows: number;
  seconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  /** Rows counted in otel_logs afterwards (warm-up included). */
  stored: number;
}

export interface FullPathResult extends PathResult {
  requests: number;
  bodyBytes: number;
  retries: number;
  /** CPU the bench's own sender used over the window (not counted above; it shares the cores). */
  senderCpuSeconds: number;
  writer: WriterStats;
}

export const rate = (r: PathResult): number => r.rows / r.seconds;
export const cpuPerMillion = (r: PathResult): number => r.cpuSeconds / (r.rows / 1e6);

function dataOptions(o: IngestOptions, total: number, seed: number): DataOptions {
  const now = Date.now();
  return { total, seed, startMs: now - 3_600_000, spanMs: 3_000_000, minPerRequest: o.minPerRequest, maxPerRequest: o.maxPerRequest };
}

async function count(c: Child): Promise<number> {
  const r = await c.call<{ n: number }[]>('query', { sql: 'SELECT count() AS n FROM otel_logs' });
  return Number(r[0]?.n ?? 0);
}

/** The engine's ceiling: prepared JSONEachRow buffers straight into chdb. */
export async function directPath(o: IngestOptions, data: DataOptions, warm: DataOptions): Promise<PathResult> {
  const c = await Child.start('direct');
  try {
    await c.call('prepare', { data: warm, batchRows: o.directBatchRows });
    await c.call('insertPrepared');
    const prep = await c.call<{ batches: number; bytes: number }>('prepare', { data, batchRows: o.directBatchRows });
    o.log(`direct: ${prep.batches} batches, ${(prep.bytes / 1e6).toFixed(0)} MB of JSONEachRow prepared; inserting`);
    const r = await c.call<InsertResult>('insertPrepared');
    const u = await c.call<Usage>('usage');
    return { rows: r.rows, seconds: r.seconds, cpuSeconds: r.cpuSeconds, maxRssBytes: u.maxRssBytes, stored: await count(c) };
  } finally {
    await c.stop();
  }
}

/**
 * Waits until `expected` rows are queryable, polling count() every 100 ms:
 * "queryable" measured directly, rather than trusting writer.flush() (which
 * raced the background flusher before commit 7c78631).
 */
async function waitForRows(c: Child, expected: number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const n = await count(c);
    if (n >= expected) return;
    if (performance.now() > until) throw new Error(`only ${n} of ${expected} rows queryable after ${timeoutMs / 1000} s`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** POSTs every body with `concurrency` keep-alive senders; retries 429/503 after a short pause. */
async function send(url: string, bodies: Body[], concurrency: number, batchPrefix: string): Promise<{ retries: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/v1/logs', url);
  let next = 0;
  let retries = 0;
  const post = (i: number): Promise<{ status: number; retryAfter: number }> => new Promise((resolve, reject) => {
    const body = bodies[i]!.data;
    const req = request(target, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length, 'x-jobscope-batch-id': `${batchPrefix}-${i}` },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1) }));
    });
    req.on('error', reject);
    req.end(body);
  });
  const worker = async (): Promise<void> => {
    for (let i = next++; i < bodies.length; i = next++) {
      for (;;) {
        const r = await post(i);
        if (r.status === 200) break;
        if (r.status !== 429 && r.status !== 503) throw new Error(`POST /v1/logs answered ${r.status}`);
        retries++;
        await new Promise((res) => setTimeout(res, Math.min(250, r.retryAfter * 1000)));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { retries };
}

/** The whole server path: OTLP/HTTP → decode → normalize → WAL → flusher → chdb. */
export async function fullPath(o: IngestOptions, data: DataOptions, warm: DataOptions): Promise<FullPathResult> {
  const warmBodies = protobufBodies(warm);
  const bodies = protobufBodies(data);
  const bodyBytes = bodies.reduce((s, b) => s + b.data.length, 0);
  o.log(`full: ${bodies.length} requests, ${(bodyBytes / 1e6).toFixed(0)} MB of protobuf pre-encoded; sending`);
  const c = await Child.start('server');
  try {
    const url = await c.call<string>('url');
    await send(url, warmBodies, o.concurrency, 'warm');
    await waitForRows(c, warm.total, 60_000);
    if (o.profileFile) await c.call('profileStart');
    const u0 = await c.call<Usage>('usage');
    const s0 = process.cpuUsage();
    const t0 = performance.now();
    const { retries } = await send(url, bodies, o.concurrency, 'bench');
    await waitForRows(c, warm.total + data.total, 300_000);
    const seconds = (performance.now() - t0) / 1000;
    const s1 = process.cpuUsage(s0);
    const u1 = await c.call<Usage>('usage');
    // Rows become queryable before the flush that inserted them updates the writer's counters.
    let writer = await c.call<WriterStats>('writerStats');
    for (let i = 0; i < 300 && writer.flushedRows < warm.total + data.total; i++) {
      await new Promise((r) => setTimeout(r, 100));
      writer = await c.call<WriterStats>('writerStats');
    }
    if (o.profileFile) await c.call('profileStop', { file: o.profileFile });
    return {
      rows: data.total, seconds, cpuSeconds: (u1.cpuMicros - u0.cpuMicros) / 1e6, maxRssBytes: u1.maxRssBytes,
      stored: await count(c), requests: bodies.length, bodyBytes, retries, writer, senderCpuSeconds: (s1.user + s1.system) / 1e6,
    };
  } finally {
    await c.stop();
  }
}

export interface IngestResult {
  full: FullPathResult;
  direct: PathResult;
  /** Each round's pair (direct first, then full, on fresh data directories). */
  rounds: { full: FullPathResult; direct: PathResult }[];
}

function total<T extends PathResult>(list: T[]): T {
  const sum = (k: 'rows' | 'seconds' | 'cpuSeconds'): number => list.reduce((s, r) => s + r[k], 0);
  return { ...list[list.length - 1]!, rows: sum('rows'), seconds: sum('seconds'), cpuSeconds: sum('cpuSeconds'), maxRssBytes: Math.max(...list.map((r) => r.maxRssBytes)) };
}

/** `rounds` × (direct, full) on the same rows; totals are sums over the rounds. */
export async function runIngest(o: IngestOptions, rounds = 1): Promise<IngestResult> {
  const data = dataOptions(o, o.rows, 42);
  const warm = dataOptions(o, o.warmupRows, 7);
  const out: IngestResult['rounds'] = [];
  for (let r = 0; r < rounds; r++) {
    const direct = await directPath(o, data, warm);
    o.log(`direct: ${Math.round(rate(direct))} rows/s, ${cpuPerMillion(direct).toFixed(2)} CPU-s per million rows`);
    const full = await fullPath(o, data, warm);
    o.log(`full:   ${Math.round(rate(full))} rows/s, ${cpuPerMillion(full).toFixed(2)} CPU-s per million rows`);
    out.push({ full, direct });
  }
  return { full: total(out.map((x) => x.full)), direct: total(out.map((x) => x.direct)), rounds: out };
}

/** The full path once more under the inspector's CPU profiler (numbers not used: profiling slows it). */
export async function profileIngest(o: IngestOptions, rows: number, file: string): Promise<FullPathResult> {
  return await fullPath({ ...o, profileFile: file }, dataOptions(o, rows, 99), dataOptions(o, o.warmupRows, 7));
}

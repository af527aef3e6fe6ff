/**
 * A real Jobscope server for the browser tests and the screenshots: embedded
 * ClickHouse in a temporary directory, the built UI served at `/`
 * (config.uiDir), filled by the simulated fleet (real Redis, one agent per
 * machine, GPU OOM failures) until it holds 20 jobs or more, completed and
 * failed among them (pending, queued and in-progress ones come along), and
 * a kept trace — plus a few known records sent straight through OTLP/HTTP:
 *
 * - `known.jobId`: a completed comfyui job with its lifecycle events, log
 *   lines and a trace of three spans (`known.traceId`);
 * - `known.runningJobId` (in progress) and `known.queuedJobId` (queued);
 * - `known.xssJobId`: a failed job whose log lines, error and attribute are
 *   XSS payloads (XSS_PAYLOADS), which the UI must show as text ('' when
 *   the option `xss` is false).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from '@jobscope/server';
import { logRecord, logsRequest, postLogs, startTestServer, type TestServer } from '@jobscope/server/testkit';
import { startDemo, type Demo } from '@jobscope/sim';
import { uiBuilt, uiPublicDir } from '../index.js';
import { until } from './browser.js';

export const XSS_IMG = '<img src=x onerror="window.__xss=1">';
export const XSS_SCRIPT = '<script>window.__xss=2</script>';
export const XSS_PAYLOADS = [XSS_IMG, XSS_SCRIPT] as const;

export interface KnownData {
  /** Unique to this server: a word in the known records' messages. */
  token: string;
  jobId: string;
  jobEvents: string[];
  jobLogLines: number;
  traceId: string;
  machineId: string;
  workerId: string;
  runningJobId: string;
  queuedJobId: string;
  xssJobId: string;
}

export interface FilledServer {
  url: string;
  test: TestServer;
  known: KnownData;
  /** A trace of the simulated fleet (a failed or slow job's), when one was kept; else the known trace. */
  demoTraceId: string;
  /** The running fleet, when `keepDemo` was set. */
  demo: Demo | null;
  /** Sends log records straight to the server (OTLP/HTTP); resolves when the server accepted them. */
  sendLogs(records: LiveRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface FilledServerOptions {
  /** Keep the fleet running after the fill (default false: the tests then see only their own new records). */
  keepDemo?: boolean;
  /** Send the XSS job (default true; the screenshots leave it out). */
  xss?: boolean;
  /** Let the fleet run at least this long before going on (default 0: until the data is there). */
  minFillMs?: number;
  /** Longest wait for the fleet's data (default 90 s). */
  fillTimeoutMs?: number;
  log?: (m: string) => void;
}

export interface LiveRecord {
  body: string;
  level?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  attrs?: Record<string, string | number>;
  /** Default now. */
  timeMs?: number;
  traceId?: string;
  spanId?: string;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const SEVERITY = { DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17 } as const;
const ns = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** Starts the server and the fleet, waits for the data, sends the known records. */
export async function startFilledServer(o: FilledServerOptions = {}): Promise<FilledServer> {
  const log = o.log ?? (() => {});
  if (!uiBuilt()) {
    throw new Error(`the web UI is not built (${uiPublicDir()}index.html is missing): run \`npm run build\` or \`node packages/ui/dist/node/build.js\``);
  }
  // uiDir: the server serves the bundle at / with an SPA fallback (CONTRACT.md "Serving").
  const over: Partial<ServerConfig> & { uiDir: string } = { uiDir: uiPublicDir() };
  const test = await startTestServer(over);
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-ui-fleet-'));
  let demo: Demo | null = null;
  const cleanup = async (): Promise<void> => {
    if (demo) await demo.stop().catch(() => {});
    demo = null;
    await test.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const t0 = performance.now();
    demo = await startDemo({
      serverUrl: test.url, dataDir: dir, machines: 3, workersPerMachine: [2, 3], rate: 8, scenario: 'gpu_oom', seed: 'ui-tests',
      durationScale: 0.03, faultDelayMs: 3_000, faultDurationMs: 600_000, unworkableAfterMs: 3_000, traceRatio: 0.3,
    });
    log(`fleet started (${demo.queueDescription})`);
    const known = await sendKnownRecords(test.url, o.xss ?? true);
    const statuses = await until('the fleet\'s jobs to reach completed and failed', async () => {
      const r = await fetch(`${test.url}/api/jobs?limit=2000`);
      if (r.status !== 200) return undefined;
      const rows = ((await r.json()) as { rows: { job_id: string; status: string }[] }).rows.filter((j) => !j.job_id.startsWith('ui-'));
      const seen = new Set(rows.map((j) => j.status));
      return rows.length >= 20 && seen.has('completed') && seen.has('failed') ? seen : undefined;
    }, o.fillTimeoutMs ?? 90_000, 500);
    // the fleet's trace with the most spans (a kept trace: failed, retried or slow jobs, or sampled)
    const demoTraceId = await until('a trace of the fleet', async () => {
      const r = await fetch(`${test.url}/api/spans?limit=1000`);
      if (r.status !== 200) return undefined;
      const counts = new Map<string, number>();
      for (const s of ((await r.json()) as { rows: { traceId: string }[] }).rows) {
        if (s.traceId !== known.traceId) counts.set(s.traceId, (counts.get(s.traceId) ?? 0) + 1);
      }
      const best = [...counts].sort((a, b) => b[1] - a[1])[0];
      return best && best[1] >= 3 ? best[0] : undefined;
    }, 30_000, 1000).catch(() => known.traceId);
    const more = (o.minFillMs ?? 0) - (performance.now() - t0);
    if (more > 0) {
      log(`letting the fleet run ${(more / 1000).toFixed(0)} s more`);
      await new Promise((r) => setTimeout(r, more));
    }
    log(`fleet data in ${((performance.now() - t0) / 1000).toFixed(1)} s: statuses ${[...statuses].sort().join(', ')}`);
    if (!o.keepDemo) {
      await demo.stop();
      demo = null;
      log('fleet stopped');
    }
    // the known records are stored (the ingest writer flushes every second)
    await until('the known jobs at the server', async () => {
      const want: [string, string][] = [[known.jobId, 'completed'], [known.runningJobId, 'in_progress'], [known.queuedJobId, 'queued']];
      if (known.xssJobId) want.push([known.xssJobId, 'failed']);
      const states = await Promise.all(want.map(async ([id]) => {
        const r = await fetch(`${test.url}/api/jobs/${encodeURIComponent(id)}`);
        return r.status === 200 ? ((await r.json()) as { job: { status: string } | null }).job?.status : undefined;
      }));
      return states.every((st, i) => st === want[i]![1]) ? true : undefined;
    }, 20_000, 250);
    const url = test.url;
    return {
      url, test, known, demoTraceId, demo,
      async sendLogs(records) {
        const r = await postLogs(url, logsRequest(records.map(toLogRecord), WORKER_RESOURCE), { encoding: 'json' });
        if (r.status !== 200) throw new Error(`POST /v1/logs answered ${r.status}: ${await r.text()}`);
      },
      close: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

const MACHINE = 'machine-01';
const WORKER = 'machine-01-worker-0';
const WORKER_RESOURCE = { 'service.name': `${MACHINE}-workers`, machine_id: MACHINE };
const API_RESOURCE = { 'service.name': 'api-server', machine_id: 'api-server' };

function toLogRecord(r: LiveRecord): ReturnType<typeof logRecord> {
  const level = r.level ?? 'INFO';
  return logRecord({
    timeUnixNano: ns(r.timeMs ?? Date.now()), severityNumber: SEVERITY[level], severityText: level, body: r.body,
    attrs: r.attrs ?? {}, traceId: r.traceId ?? '', spanId: r.spanId ?? '',
  });
}

async function post(url: string, records: LiveRecord[], resource: Record<string, string>): Promise<void> {
  const r = await postLogs(url, logsRequest(records.map(toLogRecord), resource), { encoding: 'json' });
  if (r.status !== 200) throw new Error(`POST /v1/logs answered ${r.status}: ${await r.text()}`);
}

/** The known jobs, logs and trace, a minute ago to a few seconds ago. */
async function sendKnownRecords(url: string, xss: boolean): Promise<KnownData> {
  const token = `uitok${hex(4)}`;
  const jobId = `ui-known-${hex(4)}`;
  const traceId = hex(16);
  const [submitSpan, processSpan, callSpan] = [hex(8), hex(8), hex(8)];
  const now = Date.now();
  const t = (s: number): number => now - 60_000 + s * 1000;
  const job = { job_id: jobId, service_type: 'comfyui', model: 'sdxl-base-1.0', worker_id: WORKER, connector_id: 'comfyui-0' };
  const ev = (event_type: string, extra: Record<string, string | number> = {}): Record<string, string | number> => ({ ...job, event_type, ...extra });
  /** The API service's event: no worker has the job yet. */
  const submitted = (id: string): Record<string, string | number> => ({ job_id: id, service_type: job.service_type, model: job.model, event_type: 'job_submitted', queue: 'default' });

  // the API service: submitted; the worker: received … completed, with log lines between
  await post(url, [
    { timeMs: t(0), body: `job ${jobId} submitted to queue default`, attrs: submitted(jobId), traceId, spanId: submitSpan },
  ], API_RESOURCE);
  const jobEvents = ['job_submitted', 'job_received', 'job_started', 'job_progress', 'job_progress', 'job_completed'];
  await post(url, [
    { timeMs: t(2), body: `job ${jobId} received from queue default`, attrs: ev('job_received'), traceId, spanId: processSpan },
    { timeMs: t(3), body: `starting comfyui job with model sdxl-base-1.0 (${token})`, attrs: ev('job_started', { attempt: 1 }), traceId, spanId: processSpan },
    { timeMs: t(4), body: `loaded model sdxl-base-1.0 in 812 ms ${token}`, attrs: { ...job, duration_ms: 812 }, traceId, spanId: callSpan },
    { timeMs: t(6), body: 'progress 50%', attrs: ev('job_progress', { progress: 50 }), traceId, spanId: callSpan },
    { timeMs: t(8), level: 'WARN', body: `slow response from comfyui-0 (2400 ms), retrying request 1/3 ${token}`, attrs: { ...job, duration_ms: 2400 }, traceId, spanId: callSpan },
    { timeMs: t(10), body: 'progress 100%', attrs: ev('job_progress', { progress: 100 }), traceId, spanId: callSpan },
    { timeMs: t(11), body: `job ${jobId} completed in 8200 ms`, attrs: ev('job_completed', { duration_ms: 8200, progress: 100 }), traceId, spanId: processSpan },
  ], WORKER_RESOURCE);
  await postSpans(url, traceId, jobId, [
    { spanId: submitSpan, parent: '', name: 'POST /api/jobs', service: 'api-server', startMs: t(0), endMs: t(0) + 40, kind: 2 },
    { spanId: processSpan, parent: submitSpan, name: 'job.process', service: `${MACHINE}-workers`, startMs: t(2), endMs: t(11), kind: 1 },
    { spanId: callSpan, parent: processSpan, name: 'comfyui.prompt', service: `${MACHINE}-workers`, startMs: t(3.5), endMs: t(10.5), kind: 3 },
  ]);

  // a job still running, and one still queued
  const runningJobId = `ui-running-${hex(4)}`;
  const queuedJobId = `ui-queued-${hex(4)}`;
  const other = (id: string): Record<string, string | number> => ({ ...job, job_id: id });
  await post(url, [
    { timeMs: t(20), body: `job ${runningJobId} submitted to queue default`, attrs: submitted(runningJobId) },
    { timeMs: t(30), body: `job ${queuedJobId} submitted to queue default`, attrs: submitted(queuedJobId) },
  ], API_RESOURCE);
  await post(url, [
    { timeMs: t(21), body: `job ${runningJobId} received from queue default`, attrs: { ...other(runningJobId), event_type: 'job_received' } },
    { timeMs: t(22), body: 'starting comfyui job with model sdxl-base-1.0', attrs: { ...other(runningJobId), event_type: 'job_started', attempt: 1 } },
  ], WORKER_RESOURCE);

  // the XSS job: payloads in messages, in the error and in an attribute
  const xssJobId = xss ? `ui-xss-${hex(4)}` : '';
  if (!xss) return { token, jobId, jobEvents, jobLogLines: 2, traceId, machineId: MACHINE, workerId: WORKER, runningJobId, queuedJobId, xssJobId };
  const x = (extra: Record<string, string | number> = {}): Record<string, string | number> => ({ ...job, job_id: xssJobId, ...extra });
  await post(url, [
    { timeMs: t(40), body: `job ${xssJobId} submitted to queue default`, attrs: submitted(xssJobId) },
  ], API_RESOURCE);
  await post(url, [
    { timeMs: t(41), body: `job ${xssJobId} received from queue default`, attrs: x({ event_type: 'job_received' }) },
    { timeMs: t(42), body: 'starting comfyui job', attrs: x({ event_type: 'job_started', attempt: 1, note: XSS_IMG }) },
    { timeMs: t(43), level: 'WARN', body: XSS_IMG, attrs: x({ note: XSS_SCRIPT }) },
    { timeMs: t(44), level: 'WARN', body: XSS_SCRIPT, attrs: x({ note: XSS_IMG }) },
    { timeMs: t(45), level: 'ERROR', body: XSS_IMG, attrs: x({ event_type: 'job_failed', error_type: 'validation', error: XSS_SCRIPT, duration_ms: 3000 }) },
  ], WORKER_RESOURCE);

  return {
    token, jobId, jobEvents, jobLogLines: 2, traceId, machineId: MACHINE, workerId: WORKER,
    runningJobId, queuedJobId, xssJobId,
  };
}

interface SpanSpec { spanId: string; parent: string; name: string; service: string; startMs: number; endMs: number; kind: number }

/** Spans as OTLP/JSON (hex ids, as the specification says), one resource per service. */
async function postSpans(url: string, traceId: string, jobId: string, spans: SpanSpec[]): Promise<void> {
  const kv = (key: string, v: string | number): object => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } });
  const services = [...new Set(spans.map((s) => s.service))];
  const body = {
    resourceSpans: services.map((service) => ({
      resource: { attributes: [kv('service.name', service), kv('machine_id', service === 'api-server' ? 'api-server' : MACHINE)] },
      scopeSpans: [{
        scope: { name: 'jobscope-ui-tests', version: '1' },
        spans: spans.filter((s) => s.service === service).map((s) => ({
          traceId, spanId: s.spanId, parentSpanId: s.parent, name: s.name, kind: s.kind,
          startTimeUnixNano: ns(s.startMs), endTimeUnixNano: ns(s.endMs),
          attributes: [kv('job_id', jobId), kv('service_type', 'comfyui')],
          status: { code: 1 },
        })),
      }],
    })),
  };
  const r = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`POST /v1/traces answered ${r.status}: ${await r.text()}`);
}

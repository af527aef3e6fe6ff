/**
 * Issue #6 end to end: the simulated fleet on real Redis, per-machine agents
 * and a real server, traced with 10 % sampling. For a sample of completed,
 * retried and failed jobs, the stored trace covers API → queue → worker →
 * connector → webhook with correct parentage and no orphan spans, retries
 * are attempt spans linked to the previous attempt, the job's logs carry its
 * trace id — and every failed job kept its trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '@jobscope/server/testkit';
import { startDemo } from '../demo/demo.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface SpanNode {
  spanId: string; parentSpanId: string; name: string; kind: string; serviceName: string; statusCode: string;
  attributes: Record<string, string>; links: { traceId: string; spanId: string }[]; children: SpanNode[];
}
interface TraceTree { traceId: string; spanCount: number; orphans: number; services: string[]; roots: SpanNode[] }
interface JobRow { job_id: string; status: string; attempts: number; retries: number; trace_id: string; service_type: string }

const flatten = (nodes: SpanNode[], out: SpanNode[] = []): SpanNode[] => {
  for (const n of nodes) { out.push(n); flatten(n.children, out); }
  return out;
};

test('job traces on the simulated fleet: whole and well-parented; failed and retried jobs always kept at 10 % sampling', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-traces-'));
  const server = await startTestServer();
  const demo = await startDemo({
    serverUrl: server.url, dataDir: dir, machines: 2, workersPerMachine: 3, rate: 25, scenario: 'gpu_oom', seed: 'traces-test',
    durationScale: 0.02, faultDelayMs: 0, faultDurationMs: 600_000, unworkableShare: 0, traceRatio: 0.1,
  });
  let stopped = false;
  try {
    await sleep(15_000);
    await demo.stop(); // spans and logs flushed, agents drained
    stopped = true;
    const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
      const r = await fetch(`${server.url}${path}`);
      return { status: r.status, body: (await r.json()) as T };
    };
    // wait until the server's job list stops growing (its write-ahead log flushes every second)
    let jobs: JobRow[] = [];
    for (let i = 0, last = -1; i < 30; i++) {
      jobs = (await get<{ rows: JobRow[] }>('/api/jobs?limit=5000&from=now-1h')).body.rows;
      if (jobs.length === last && jobs.length > 0) break;
      last = jobs.length;
      await sleep(1000);
    }
    const finished = jobs.filter((j) => ['completed', 'failed', 'timeout'].includes(j.status));
    assert.ok(finished.length >= 100, `enough finished jobs (${finished.length})`);
    const traceOf = async (id: string): Promise<TraceTree | null> => {
      const r = await get<TraceTree>(`/api/traces/${id}`);
      return r.status === 200 ? r.body : null;
    };
    const failed = finished.filter((j) => j.status !== 'completed');
    const retried = finished.filter((j) => j.attempts > 1);
    const normal = finished.filter((j) => j.status === 'completed' && j.attempts === 1);
    assert.ok(failed.length >= 3, `some failed jobs (${failed.length})`);
    assert.ok(retried.length >= 3, `some retried jobs (${retried.length})`);

    // every failed or retried job kept its whole trace
    const checked: string[] = [];
    for (const j of [...failed, ...retried]) {
      assert.match(j.trace_id, /^[0-9a-f]{32}$/, `${j.job_id} has a trace id`);
      const t = await traceOf(j.trace_id);
      assert.ok(t, `${j.status} job ${j.job_id} (attempts ${j.attempts}) kept its trace`);
      checkJobTrace(j, t);
      checked.push(j.job_id);
    }

    // about 10 % of the normal jobs are traced (head sampling by trace id); those are whole too
    let traced = 0;
    for (const j of normal) {
      const t = await traceOf(j.trace_id);
      if (!t) continue;
      traced++;
      if (traced <= 10) checkJobTrace(j, t);
    }
    const share = traced / normal.length;
    process.stderr.write(`traces: ${finished.length} finished, ${failed.length} failed, ${retried.length} retried, ${traced}/${normal.length} normal traced\n`);
    assert.ok(normal.length >= 80, `enough normal jobs (${normal.length})`);
    assert.ok(share > 0.02 && share < 0.3, `about 10 % of normal traces kept (${traced}/${normal.length})`);

    // the job's logs and events carry its trace id, and the job page joins its spans
    const sample = [...failed.slice(0, 3), ...retried.slice(0, 3)];
    for (const j of sample) {
      const page = (await get<{ traceIds: string[]; timeline: { kind: string; trace_id?: string; event_type?: string }[] }>(`/api/jobs/${j.job_id}`)).body;
      assert.ok(page.traceIds.includes(j.trace_id));
      const events = page.timeline.filter((e) => e.kind !== 'span' && e.event_type?.startsWith('job_'));
      assert.ok(events.length > 0);
      for (const e of events) assert.equal(e.trace_id, j.trace_id, `${j.job_id}: ${e.event_type} carries the trace id`);
      assert.ok(page.timeline.some((e) => e.kind === 'span'), `${j.job_id}: spans on the job page`);
    }

    // the service map shows the path API → workers → webhook
    const map = (await get<{ edges: { from: string; to: string; calls: number }[] }>('/api/service-map?from=now-1h')).body;
    assert.ok(map.edges.some((e) => e.from === 'api-server' && /^machine-0\d-workers$/.test(e.to)), JSON.stringify(map.edges));
    assert.ok(map.edges.some((e) => e.from === 'api-server' && e.to === 'webhook-service'), JSON.stringify(map.edges));

    const stats = [...demo.tracings.values()].map((t) => t.stats());
    assert.ok(stats.reduce((n, s) => n + s.spansDiscarded, 0) > 0, 'normal traces were discarded');
    assert.ok(checked.length > 0);
  } finally {
    if (!stopped) await demo.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** One job's trace: send (API) → receive + process per attempt (worker) → connector (→ ComfyUI nodes); webhook; no orphans. */
function checkJobTrace(j: JobRow, t: TraceTree): void {
  const spans = flatten(t.roots);
  assert.equal(t.orphans, 0, `${j.job_id}: no orphan spans`);
  assert.equal(t.roots.length, 1, `${j.job_id}: one root`);
  const send = t.roots[0]!;
  assert.equal(send.name, 'send jobs:pending');
  assert.equal(send.kind, 'Producer');
  assert.equal(send.serviceName, 'api-server');
  assert.equal(send.attributes['messaging.system'], 'redis');
  assert.equal(send.attributes['messaging.message.id'], j.job_id);
  const process = spans.filter((s) => s.name === 'process jobs:pending');
  const receive = spans.filter((s) => s.name === 'receive jobs:pending');
  assert.equal(process.length, j.attempts, `${j.job_id}: one process span per attempt`);
  assert.equal(receive.length, j.attempts, `${j.job_id}: one receive span per attempt`);
  for (const p of [...process, ...receive]) {
    assert.equal(p.parentSpanId, send.spanId, `${j.job_id}: ${p.name} continues the job's context`);
    assert.match(p.serviceName, /^machine-0\d-workers$/);
    assert.equal(p.attributes.job_id, j.job_id);
  }
  const byAttempt = [...process].sort((a, b) => Number(a.attributes.attempt) - Number(b.attributes.attempt));
  byAttempt.forEach((p, i) => {
    assert.equal(p.kind, 'Consumer');
    assert.equal(Number(p.attributes.attempt), i + 1);
    assert.ok(p.attributes.queue_wait_ms !== undefined);
    const connector = p.children.filter((c) => c.kind === 'Client' || c.name.startsWith('simulation'));
    assert.equal(connector.length, 1, `${j.job_id}: one connector span under attempt ${i + 1}`);
    if (j.service_type === 'comfyui' && connector[0]!.statusCode !== 'Error') {
      assert.ok(connector[0]!.children.some((n) => n.name === 'comfyui node KSampler'), 'ComfyUI node spans');
    }
    if (j.service_type.startsWith('openai')) assert.equal(connector[0]!.attributes['gen_ai.provider.name'], 'openai');
    if (i > 0) {
      const prev = byAttempt[i - 1]!;
      assert.ok(p.links.some((l) => l.spanId === prev.spanId), `${j.job_id}: attempt ${i + 1} links to attempt ${i}`);
      assert.equal(prev.statusCode, 'Error', 'a retried attempt failed');
    }
  });
  const hooks = spans.filter((s) => s.serviceName === 'webhook-service');
  for (const h of hooks) {
    assert.equal(h.name, 'POST');
    assert.equal(h.parentSpanId, send.spanId);
  }
}

/**
 * The demo end to end: real Redis, one agent per machine, a real server.
 * The fleet's data arrives at the server through the agents, jobs reach
 * final states there, and the scheduled GPU OOM leaves its mark: the sick
 * machine's failures are error_type=memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '@jobscope/server/testkit';
import { startDemo } from './demo.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('the demo fills a real server through per-machine agents, and the OOM scenario shows as memory failures', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-demo-'));
  const server = await startTestServer();
  const faults: string[] = [];
  const demo = await startDemo({
    serverUrl: server.url, dataDir: dir, machines: 2, workersPerMachine: 3, rate: 20, scenario: 'gpu_oom', seed: 'demo-test',
    durationScale: 0.02, faultDelayMs: 0, faultDurationMs: 600_000, onFault: (f) => faults.push(`${f.name}@${f.machineId}`),
    unworkableShare: 0, unworkableAfterMs: 2_000,
  });
  try {
    assert.match(demo.queueDescription, /redis-server started/);
    assert.equal(demo.agents.length, 3, 'one agent per machine and one for the API service');
    await sleep(12_000);
    const q = async <T>(sql: string): Promise<T[]> => await server.server.store.query<T>(sql);
    const jobs = await (async () => {
      for (let i = 0; i < 60; i++) {
        const body = await (await fetch(`${server.url}/api/jobs?limit=1000`)).json() as { rows: { status: string; attempts: number }[] };
        if (body.rows.length > 20 && body.rows.some((r) => r.status === 'completed') && body.rows.some((r) => r.status === 'failed')) return body.rows;
        await sleep(500);
      }
      return [];
    })();
    assert.ok(jobs.length > 20, `jobs at the server (${jobs.length})`);
    const events = await q<{ e: string; n: number }>('SELECT EventType AS e, count() AS n FROM otel_logs GROUP BY e');
    const seen = new Set(events.map((r) => r.e));
    for (const e of ['job_submitted', 'job_received', 'job_started', 'job_progress', 'job_completed', 'job_failed', 'worker_registered', 'machine_started']) {
      assert.ok(seen.has(e), `${e} at the server`);
    }
    assert.equal(faults.length, 1);
    const sick = faults[0]!.split('@')[1]!;
    const failures = await q<{ machine: string; memory: number; n: number }>(
      "SELECT MachineId AS machine, countIf(LogAttributes['error_type'] = 'memory') AS memory, count() AS n FROM otel_logs WHERE EventType = 'job_failed' AND ServiceType IN ('comfyui', 'a1111') GROUP BY machine",
    );
    const sickRow = failures.find((r) => r.machine === sick);
    assert.ok(sickRow && Number(sickRow.n) > 0, `the OOM machine ${sick} has GPU failures`);
    assert.ok(Number(sickRow.memory) / Number(sickRow.n) > 0.8, 'and they are error_type=memory');
    // the API service takes a job of our own, and a worker runs it to the end. High priority: on a busy
    // machine the demo's own traffic can queue up, and this checks the path, not the queue's fairness.
    const posted = await fetch(`${demo.apiUrl}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ service_type: 'rest', max_retries: 0, priority: 100 }) });
    assert.equal(posted.status, 201);
    const mine = (await posted.json()) as { id: string };
    const final = await (async () => {
      for (let i = 0; i < 300; i++) {
        const j = (await (await fetch(`${demo.apiUrl}/api/jobs/${mine.id}`)).json()) as { status: string };
        if (j.status === 'completed' || j.status === 'failed') return j.status;
        await sleep(100);
      }
      return 'stuck';
    })();
    assert.ok(final === 'completed' || final === 'failed', `our job finished (${final})`);
    // a job scheduled for later is pending, then runs; a job no worker can run ends unworkable
    const post = async (body: object): Promise<{ id: string; status: string }> => {
      const r = await fetch(`${demo.apiUrl}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(r.status, 201);
      return (await r.json()) as { id: string; status: string };
    };
    const later = await post({ service_type: 'rest', max_retries: 0, delay_ms: 1500, priority: 100 });
    assert.equal(later.status, 'pending');
    const orphan = await post({ service_type: 'video-upscale', model: 'realesrgan-x4' });
    const stateAtServer = async (id: string, want: (s: string) => boolean): Promise<string> => {
      let last = '';
      for (let i = 0; i < 120; i++) {
        const r = await fetch(`${server.url}/api/jobs/${id}`);
        if (r.status === 200) {
          // job is null while only spans or logs of the job have arrived (its lifecycle events may come later)
          last = ((await r.json()) as { job: { status: string } | null }).job?.status ?? '';
          if (want(last)) return last;
        }
        await sleep(250);
      }
      return last;
    };
    assert.equal(await stateAtServer(orphan.id, (s) => s === 'unworkable'), 'unworkable', 'the job nobody runs is unworkable at the server');
    const laterFinal = await stateAtServer(later.id, (s) => s === 'completed' || s === 'failed');
    assert.ok(laterFinal === 'completed' || laterFinal === 'failed', `the scheduled job ran (${laterFinal})`);
    const submitted = await q<{ st: string }>(`SELECT LogAttributes['status'] AS st FROM otel_logs WHERE EventType = 'job_submitted' AND JobId = '${later.id}'`);
    assert.deepEqual(submitted.map((r) => r.st), ['pending'], 'job_submitted said pending');
    const agentsSeen = await q<{ n: number }>("SELECT count() AS n FROM otel_logs WHERE ResourceAttributes['jobscope.agent.version'] != ''");
    assert.ok(Number(agentsSeen[0]!.n) > 0, 'records came through the agents');
  } finally {
    await demo.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

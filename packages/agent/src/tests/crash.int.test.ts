/**
 * SIGKILL the agent in the middle of a stream of acknowledged requests and
 * restart it on the same buffer: every record the agent acknowledged
 * reaches the server, none twice (the buffer keeps what was acknowledged;
 * exporter batch ids survive the crash, so a batch the server stored just
 * before the kill is not stored again when it is resent).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '@jobscope/server/testkit';
import { startAgentProcess, waitFor } from '../testing/agent-process.js';

const PER_REQUEST = 20;

test('SIGKILL the agent mid-stream: every acknowledged record reaches the server exactly once', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-crash-'));
  const server = await startTestServer();
  const agentArgs = ['--server', server.url, '--buffer', join(dir, 'buf'), '--http-port', '0', '--otlp-port', 'off', '--forward-port', 'off', '--health-port', 'off', '--quiet'];
  try {
    const first = await startAgentProcess(agentArgs);
    const url = `http://${first.addresses.http}`;
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    const body = (i: number): string => JSON.stringify(Array.from({ length: PER_REQUEST }, (_, j) => ({
      message: `crash record ${i}-${j}`, level: 'info', job_id: `job-agent-crash-${i}`, rec: `${i}-${j}`,
    })));
    const sender = async (): Promise<void> => {
      while (!killed && next < 5000) {
        const i = next++;
        try {
          const r = await fetch(`${url}/crash.test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) });
          if (r.status === 201) acked.add(i);
        } catch { /* the agent died */ }
        if (acked.size >= 120 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([1, 2, 3, 4].map(sender));
    await first.exited;
    assert.ok(acked.size >= 120, `only ${acked.size} acknowledged`);

    const second = await startAgentProcess(agentArgs);
    try {
      const ids = [...acked].map((i) => `job-agent-crash-${i}`);
      const stored = async (): Promise<{ total: number; distinct: number; jobs: number }> => {
        const rows = await server.server.store.query<{ total: number; distinct: number; jobs: number }>(
          "SELECT count() AS total, uniqExact(LogAttributes['rec']) AS distinct, uniqExact(JobId) AS jobs FROM otel_logs WHERE JobId IN {ids:Array(String)}",
          { ids },
        );
        const r = rows[0]!;
        return { total: Number(r.total), distinct: Number(r.distinct), jobs: Number(r.jobs) };
      };
      const got = await waitFor(async () => {
        const s = await stored();
        return s.jobs === ids.length ? s : null;
      }, 90_000, 'every acknowledged request at the server');
      assert.equal(got.total, ids.length * PER_REQUEST, 'no acknowledged record lost or stored twice');
      assert.equal(got.distinct, got.total);
      // Nothing at all twice, acknowledged or not.
      const all = await server.server.store.query<{ total: number; distinct: number }>(
        "SELECT count() AS total, uniqExact(LogAttributes['rec']) AS distinct FROM otel_logs WHERE startsWith(JobId, 'job-agent-crash-')",
      );
      assert.equal(Number(all[0]!.total), Number(all[0]!.distinct), 'no record stored twice');
    } finally {
      await second.stop();
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The server down for a while: the agent keeps acknowledging senders (the
 * data waits in the disk buffer), reports the lag, and delivers everything
 * once the server is back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '@jobscope/server/testkit';
import { freePort, startAgentProcess, waitFor } from '../testing/agent-process.js';

test('server down: records wait on disk and arrive after it is back', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-down-'));
  const port = await freePort();
  const agent = await startAgentProcess([
    '--server', `http://127.0.0.1:${port}`, '--buffer', join(dir, 'buf'), '--http-port', '0', '--otlp-port', 'off',
    '--forward-port', 'off', '--health-port', '0', '--quiet',
  ]);
  let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
  try {
    const url = `http://${agent.addresses.http}`;
    for (let i = 0; i < 30; i++) {
      const r = await fetch(`${url}/down.test`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: 10 }, (_, j) => ({ message: `waiting ${i}-${j}`, job_id: 'job-agent-down', rec: `${i}-${j}` }))),
      });
      assert.equal(r.status, 201, 'the agent acknowledges while the server is down');
    }
    // Lag and pending records are visible on /metrics while the server is away.
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`http://${agent.addresses.health}/metrics`)).text();
      const lag = /jobscope_agent_delivery_lag_seconds\{exporter="server"\} ([\d.e+-]+)/.exec(text);
      return lag && Number(lag[1]) > 0.5 ? text : null;
    }, 20_000, 'delivery lag on /metrics');
    assert.match(metrics, /jobscope_agent_records_in_total\{receiver="http"\} 300/);
    assert.match(metrics, /jobscope_agent_buffer_pending_records\{exporter="server"\} [1-9]/);
    const health = await (await fetch(`http://${agent.addresses.health}/healthz`)).json() as { exporters: Record<string, { lastError: string | null }> };
    assert.ok(health.exporters.server?.lastError, 'the failing destination shows its last error');

    server = await startTestServer({ port });
    const s = server;
    const stored = await waitFor(async () => {
      const rows = await s.server.store.query<{ n: number; d: number }>(
        "SELECT count() AS n, uniqExact(LogAttributes['rec']) AS d FROM otel_logs WHERE JobId = 'job-agent-down'",
      );
      return Number(rows[0]!.n) >= 300 ? rows[0]! : null;
    }, 90_000, 'the buffered records at the server');
    assert.equal(Number(stored.n), 300);
    assert.equal(Number(stored.d), 300);
    await waitFor(async () => {
      const text = await (await fetch(`http://${agent.addresses.health}/metrics`)).text();
      return /jobscope_agent_records_out_total\{exporter="server"\} 300/.test(text)
        && /jobscope_agent_buffer_pending_records\{exporter="server"\} 0/.test(text);
    }, 20_000, 'records_out = 300 and nothing pending');
  } finally {
    await agent.stop();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A file rotated while the agent is stopped: lines appended before the
 * rotation (to the file now renamed) and lines in the new file all arrive,
 * each once. Uses the PM2 layout, so service.name and stream come from the path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '@jobscope/server/testkit';
import { startAgentProcess, waitFor } from '../testing/agent-process.js';

const lines = (from: number, to: number): string =>
  Array.from({ length: to - from }, (_, k) => JSON.stringify({ msg: `line ${from + k}`, level: 'info', job_id: 'job-agent-rotate', rec: String(from + k) })).join('\n') + '\n';

test('a file rotated while the agent is stopped: no line lost, none twice', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-rotate-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const file = join(logs, 'comfyui-out.log');
  const server = await startTestServer();
  const args = ['--server', server.url, '--buffer', join(dir, 'buf'), '--http-port', 'off', '--otlp-port', 'off', '--forward-port', 'off',
    '--health-port', 'off', '--tail', join(logs, '*.log'), '--quiet'];
  const stored = async (): Promise<{ n: number; d: number }> => {
    const rows = await server.server.store.query<{ n: number; d: number }>(
      "SELECT count() AS n, uniqExact(LogAttributes['rec']) AS d FROM otel_logs WHERE JobId = 'job-agent-rotate'",
    );
    return { n: Number(rows[0]!.n), d: Number(rows[0]!.d) };
  };
  try {
    appendFileSync(file, lines(0, 100));
    const first = await startAgentProcess(args);
    await waitFor(async () => (await stored()).n >= 100, 60_000, 'the first 100 lines');
    assert.equal(await first.stop(), 0);

    appendFileSync(file, lines(100, 150)); // written before the rotation, never read yet
    renameSync(file, `${file}.1`);
    appendFileSync(file, lines(150, 200)); // the new file

    const second = await startAgentProcess(args);
    try {
      const s = await waitFor(async () => { const x = await stored(); return x.n >= 200 ? x : null; }, 60_000, 'all 200 lines');
      await new Promise((r) => setTimeout(r, 1000)); // a late duplicate would show up here
      const again = await stored();
      assert.deepEqual(again, { n: 200, d: 200 }, `every line once (was ${JSON.stringify(s)})`);
      const meta = await server.server.store.query<{ svc: string; stream: string }>(
        "SELECT any(ServiceName) AS svc, any(LogAttributes['stream']) AS stream FROM otel_logs WHERE JobId = 'job-agent-rotate'",
      );
      assert.equal(meta[0]!.svc, 'comfyui', 'service.name from the PM2 path');
      assert.equal(meta[0]!.stream, 'stdout');
    } finally {
      await second.stop();
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

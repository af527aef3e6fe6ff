/**
 * Runs every connector in examples/ (repository root) as a child process
 * against a real Jobscope server for a few fast jobs, then checks that each
 * job the example reported (`job <id> <outcome>` on stdout) is in otel_logs
 * with its lifecycle: received, started, and the terminal event matching
 * the outcome, under the example's service type.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, tempDir, type TestServer } from '../export/testkit/server.js';

const EXAMPLES = fileURLToPath(new URL('../../../../examples/', import.meta.url));

const CASES: Array<{ file: string; serviceType: string }> = [
  { file: 'comfyui.mjs', serviceType: 'comfyui' },
  { file: 'openai.mjs', serviceType: 'openai' },
  { file: 'a1111.mjs', serviceType: 'a1111' },
  { file: 'simulation.mjs', serviceType: 'simulation' },
  { file: 'rest.mjs', serviceType: 'rest' },
  { file: 'winston.mjs', serviceType: 'comfyui' },
  { file: 'pino.mjs', serviceType: 'openai' },
];

const TERMINAL: Record<string, string> = { completed: 'job_completed', failed: 'job_failed', timeout: 'job_timeout' };

interface Run {
  code: number | null;
  jobs: Array<{ id: string; outcome: string }>;
  stderr: string;
}

function runExample(file: string, endpoint: string, tmp: string): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: '',
      EXAMPLE_JOBS: '3', EXAMPLE_SPEED: '200', TMPDIR: tmp,
    };
    const p = spawn(process.execPath, [EXAMPLES + file], { env, cwd: EXAMPLES, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    p.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      const jobs = [...out.matchAll(/^job (\S+) (\w+)$/gm)].map((m) => ({ id: m[1], outcome: m[2] }));
      resolve({ code, jobs, stderr: err });
    });
  });
}

async function eventsOf(srv: TestServer, ids: string[]): Promise<Map<string, { events: string[]; serviceTypes: string[] }>> {
  await srv.server.writer.flush();
  const rows = await srv.server.store.query<{ JobId: string; events: string[]; types: string[] }>(
    'SELECT JobId, groupArray(EventType) AS events, groupUniqArray(ServiceType) AS types FROM otel_logs WHERE JobId IN {ids:Array(String)} GROUP BY JobId',
    { ids },
  );
  return new Map(rows.map((r) => [r.JobId, { events: r.events, serviceTypes: r.types }]));
}

test('every example connector runs against a real server and its jobs arrive with their lifecycle', async () => {
  const srv = await startServer();
  const tmp = tempDir('sdk-examples-');
  try {
    const runs = await Promise.all(CASES.map((c) => runExample(c.file, srv.url, tmp.dir)));
    for (const [i, c] of CASES.entries()) {
      const r = runs[i];
      assert.equal(r.code, 0, `${c.file} exited ${r.code}: ${r.stderr}`);
      assert.equal(r.jobs.length, 3, `${c.file} reported its 3 jobs`);
      const got = await eventsOf(srv, r.jobs.map((j) => j.id));
      for (const j of r.jobs) {
        const e = got.get(j.id);
        assert.ok(e, `${c.file}: job ${j.id} is in otel_logs`);
        for (const ev of ['job_received', 'job_started', TERMINAL[j.outcome]]) {
          assert.ok(e.events.includes(ev), `${c.file}: job ${j.id} has ${ev} (has ${e.events.join(', ')})`);
        }
        assert.deepEqual(e.serviceTypes, [c.serviceType], `${c.file}: service_type`);
      }
      assert.doesNotMatch(r.stderr, /dropped [1-9]/, `${c.file}: nothing dropped`);
    }
  } finally {
    await srv.close();
    tmp.cleanup();
  }
});

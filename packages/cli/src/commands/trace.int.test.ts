/** `jobscope trace` as a user runs it: the built command against a real server holding a small trace. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '@jobscope/server/testkit';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
let t: TestServer;

const run = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1', JOBSCOPE_URL: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });

before(async () => {
  t = await startTestServer();
  const ms = BigInt(Date.now() - 60_000);
  const at = (off: number) => ((ms + BigInt(off)) * 1_000_000n).toString();
  const sp = (spanId: string, parentSpanId: string, name: string, kind: number, start: number, end: number, status = 0) => ({
    traceId: TRACE, spanId, parentSpanId, name, kind, startTimeUnixNano: at(start), endTimeUnixNano: at(end),
    attributes: [], events: [], links: [], status: { code: status, message: status === 2 ? 'CUDA out of memory' : '' },
  });
  const rs = (service: string, spans: unknown[]) => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ scope: { name: 'test' }, spans }],
  });
  const body = {
    resourceSpans: [
      rs('api', [sp('00f067aa0ba902b7', '', 'POST /api/jobs', 2, 0, 40)]),
      rs('worker', [sp('00f067aa0ba902b8', '00f067aa0ba902b7', 'process job', 5, 100, 700), sp('00f067aa0ba902ba', '1111111111111111', 'late span', 1, 800, 810)]),
      rs('comfyui', [sp('00f067aa0ba902b9', '00f067aa0ba902b8', 'comfyui.execute', 3, 150, 650, 2)]),
    ],
  };
  const r = await fetch(`${t.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200);
  await t.server.writer.flush();
});
after(async () => { await t?.close(); });

test('jobscope trace prints the waterfall', async () => {
  const r = await run('trace', TRACE, '--server', t.url);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, new RegExp(`^trace ${TRACE} .* 810\\.0 ms$`));
  assert.match(lines[1]!, /4 spans, 3 services \(api, comfyui, worker\), 1 error, 1 orphan/);
  const body = lines.slice(4).filter(Boolean);
  assert.deepEqual(body.map((l) => /^( *\S.*?)(?= {2,})/.exec(l)?.[1]), [
    'POST /api/jobs [server]', '  process job [consumer]', '    ✗ comfyui.execute [client]', 'late span',
  ]);
  assert.match(body[2]!, /comfyui +500\.0 ms .*CUDA out of memory$/);
  assert.match(body[3]!, /orphan: parent 1111111111111111 not in the trace$/);
});

test('jobscope trace --json gives the API answer; uppercase ids work', async () => {
  const r = await run('trace', TRACE.toUpperCase(), '--server', t.url, '--json');
  assert.equal(r.code, 0, r.stderr);
  const a = JSON.parse(r.stdout) as { traceId: string; spanCount: number; roots: { name: string; children: { name: string }[] }[] };
  assert.equal(a.traceId, TRACE);
  assert.equal(a.spanCount, 4);
  assert.deepEqual(a.roots.map((x) => x.name), ['POST /api/jobs', 'late span']);
  assert.deepEqual(a.roots[0]!.children.map((x) => x.name), ['process job']);
});

test('jobscope trace: clear errors, and help', async () => {
  const bad = await run('trace', 'xyz', '--server', t.url);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /'xyz' is not a trace id: 32 hex digits/);
  const none = await run('trace');
  assert.equal(none.code, 2);
  assert.match(none.stderr, /a trace id is required/);
  const missing = await run('trace', 'ffffffffffffffffffffffffffffffff', '--server', t.url);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /server answered 404: no spans for trace ffffffffffffffffffffffffffffffff/);
  const down = await run('trace', TRACE, '--server', 'http://127.0.0.1:9');
  assert.equal(down.code, 1);
  assert.match(down.stderr, /cannot reach the Jobscope server/);
  const help = await run('trace', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: jobscope trace TRACE_ID/);
  const all = await run('--help');
  assert.match(all.stdout, /\n {2}trace +show a trace as a waterfall/);
});

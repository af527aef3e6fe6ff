/** `jobscope agent` as a user meets it: help, precise errors for bad input, a clean stop on SIGTERM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgentProcess } from '../testing/agent-process.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, 'agent', ...args], { encoding: 'utf8', env: { ...process.env, JOBSCOPE_SERVER: '', ...env }, timeout: 30_000 });

test('--help lists the flags', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0);
  for (const flag of ['--config', '--server', '--buffer', '--http-port', '--otlp-port', '--forward-port', '--health-port', '--tail', '--on-full']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

test('bad input: one clear line and exit code 2, no stack', () => {
  const noServer = run([]);
  assert.equal(noServer.status, 2);
  assert.match(noServer.stderr, /no destination: pass --server URL/);
  assert.doesNotMatch(noServer.stderr, /at .*\.js:\d+/);
  assert.equal(run(['--server', 'http://127.0.0.1:1', '--http-port', 'nine']).status, 2);
  assert.match(run(['--server', 'http://127.0.0.1:1', '--bogus']).stderr, /Unknown option '--bogus'/);
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-cli-'));
  try {
    writeFileSync(join(dir, 'agent.yaml'), 'server: http://127.0.0.1:1\nreceivers:\n  htp:\n    port: 1\n');
    const r = run(['--config', join(dir, 'agent.yaml')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /receivers\.htp: unknown setting/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a port in use fails with the listener named; SIGTERM stops cleanly with exit 0', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-cli-'));
  try {
    const a = await startAgentProcess(['--server', 'http://127.0.0.1:1', '--buffer', join(dir, 'a'), '--http-port', '0', '--otlp-port', 'off', '--forward-port', 'off', '--health-port', 'off']);
    const port = a.addresses.http!.split(':').pop()!;
    const clash = run(['--server', 'http://127.0.0.1:1', '--buffer', join(dir, 'b'), '--http-port', port, '--otlp-port', 'off', '--forward-port', 'off', '--health-port', 'off']);
    assert.equal(clash.status, 1);
    assert.match(clash.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(http\\)`));
    assert.equal(await a.stop(), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

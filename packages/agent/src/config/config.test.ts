import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobscopeError } from '@jobscope/core';
import { resolveAgentConfig } from './resolve.js';

const EXAMPLE = fileURLToPath(new URL('../../../../agent.example.yaml', import.meta.url));

function withFile(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-agent-cfg-'));
  const path = join(dir, 'agent.yaml');
  writeFileSync(path, text);
  return fn(path).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('the documented example config loads, with every section applied', async () => {
  const c = await resolveAgentConfig({ config: EXAMPLE }, {});
  assert.equal(c.exporters.length, 2);
  assert.deepEqual(c.exporters.map((e) => e.name), ['server', 'archive']);
  assert.equal(c.exporters[0]!.headers.authorization, 'Bearer change-me-to-the-server-token');
  assert.equal(c.exporters[1]!.batchIdHeader, null);
  assert.equal(c.bufferMaxBytes, 1024 ** 3);
  assert.equal(c.onFull, 'backpressure');
  assert.equal(c.http.port, 9880);
  assert.equal(c.forward.port, 24224);
  assert.deepEqual(c.tail.include, ['/workspace/logs/*.log']);
  assert.equal(c.enrich.machineId, 'gpu-node-01');
  assert.equal(c.redact.patterns[0]!.name, 'customer-email');
  assert.equal(c.filter.minSeverity, 'debug');
  assert.equal(c.filter.rules.length, 2);
  assert.ok(c.bufferDir.endsWith('jobscope-agent'));
});

test('flags override the environment, which overrides the file', async () => {
  await withFile('server: http://from-file:4318\nbuffer:\n  dir: /tmp/from-file\nprocessors:\n  enrich:\n    machine_id: file-machine\n', async (path) => {
    const fileOnly = await resolveAgentConfig({ config: path }, {});
    assert.equal(fileOnly.exporters[0]!.endpoint, 'http://from-file:4318');
    assert.equal(fileOnly.enrich.machineId, 'file-machine');
    const env = await resolveAgentConfig({ config: path }, { JOBSCOPE_SERVER: 'http://from-env:4318', MACHINE_ID: 'env-machine', JOBSCOPE_AGENT_BUFFER: '/tmp/from-env' });
    assert.equal(env.exporters[0]!.endpoint, 'http://from-env:4318');
    assert.equal(env.enrich.machineId, 'env-machine');
    assert.equal(env.bufferDir, '/tmp/from-env');
    const flags = await resolveAgentConfig({ config: path, server: 'http://from-flag:4318', machineId: 'flag-machine', httpPort: 'off', tail: ['/var/log/*.log'] },
      { JOBSCOPE_SERVER: 'http://from-env:4318', MACHINE_ID: 'env-machine' });
    assert.equal(flags.exporters[0]!.endpoint, 'http://from-flag:4318');
    assert.equal(flags.enrich.machineId, 'flag-machine');
    assert.equal(flags.http.enabled, false);
    assert.deepEqual(flags.tail.include, ['/var/log/*.log']);
  });
});

test('the config file may name its config through JOBSCOPE_AGENT_CONFIG', async () => {
  await withFile('server: http://via-env-file:4318\n', async (path) => {
    const c = await resolveAgentConfig({}, { JOBSCOPE_AGENT_CONFIG: path });
    assert.equal(c.exporters[0]!.endpoint, 'http://via-env-file:4318');
  });
});

async function rejects(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof JobscopeError && e.code === 'JS_CONFIG' && re.test(e.message));
}

test('bad configuration fails at start with the setting named', async () => {
  await rejects(resolveAgentConfig({}, {}), /no destination/);
  await withFile('server: http://x:4318\nbufer:\n  dir: x\n', (p) => rejects(resolveAgentConfig({ config: p }, {}), /bufer: unknown setting/));
  await withFile('server: http://x:4318\nbuffer:\n  max_bytes: lots\n', (p) => rejects(resolveAgentConfig({ config: p }, {}), /buffer\.max_bytes must be a size/));
  await withFile('server: http://x:4318\nreceivers:\n  http:\n    port: 99999\n', (p) => rejects(resolveAgentConfig({ config: p }, {}), /receivers\.http\.port/));
  await withFile('server: [unclosed\n', (p) => rejects(resolveAgentConfig({ config: p }, {}), /invalid YAML/));
  await withFile('server: http://x:4318\nprocessors:\n  filter:\n    sample:\n      rate: 2\n', (p) => rejects(resolveAgentConfig({ config: p }, {}), /sample\.rate/));
  await rejects(resolveAgentConfig({ config: '/nonexistent/agent.yaml' }, {}), /cannot read config file/);
  await rejects(resolveAgentConfig({ server: 'not a url' }, {}), /endpoint must be a URL/);
  await rejects(resolveAgentConfig({ server: 'http://x:4318', host: '0.0.0.0' }, {}), /without an auth token/);
  await rejects(resolveAgentConfig({ server: 'http://x:4318', httpPort: '7000', otlpPort: '7000' }, {}), /both use port 7000/);
  await rejects(resolveAgentConfig({ server: 'http://x:4318', onFull: 'panic' }, {}), /--on-full/);
  // allowed with a token or --insecure
  const ok = await resolveAgentConfig({ server: 'http://x:4318', host: '0.0.0.0', authToken: 'a-long-secret' }, {});
  assert.equal(ok.authToken, 'a-long-secret');
});

test('sizes accept units, and small buffers get smaller segments', async () => {
  const c = await resolveAgentConfig({ server: 'http://x:4318', bufferMaxBytes: '8MiB' }, {});
  assert.equal(c.bufferMaxBytes, 8 * 1024 * 1024);
  assert.ok(c.bufferSegmentBytes * 4 <= c.bufferMaxBytes);
});

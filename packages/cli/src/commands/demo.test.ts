import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { demoOptionsFrom } from './demo.js';

const CLI = fileURLToPath(new URL('../main.js', import.meta.url));

test('tracing options: --trace-ratio within 0-1, --no-tracing', () => {
  assert.equal(demoOptionsFrom({ 'trace-ratio': '0.25' }, 'http://x', '/d').traceRatio, 0.25);
  assert.equal(demoOptionsFrom({ 'no-tracing': true }, 'http://x', '/d').tracing, false);
  assert.equal(demoOptionsFrom({}, 'http://x', '/d').tracing, undefined);
  for (const bad of ['2', '-0.1', 'abc', '']) {
    assert.throws(() => demoOptionsFrom({ 'trace-ratio': bad }, 'http://x', '/d'), /--trace-ratio must be a number from 0 to 1/);
  }
});

test('a bad option is an error before any server or data directory is made', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-demo-cli-'));
  try {
    const r = spawnSync(process.execPath, [CLI, 'demo', '--trace-ratio', '2', '--data', join(dir, 'data'), '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--trace-ratio must be a number from 0 to 1/);
    assert.deepEqual(readdirSync(dir), [], 'nothing created');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

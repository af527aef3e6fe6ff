import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, parseRetention, validateConfig } from './config.js';
import { DEFAULT_RETENTION } from './store/index.js';

test('retention specs override the defaults per signal', () => {
  assert.deepEqual(parseRetention('logs=14d,traces=3'), { ...DEFAULT_RETENTION, logsDays: 14, tracesDays: 3 });
  assert.deepEqual(parseRetention(''), DEFAULT_RETENTION);
  assert.throws(() => parseRetention('logs=forever'), /invalid retention 'logs=forever'/);
  assert.throws(() => parseRetention('spans=3d'), /invalid retention 'spans=3d'/);
  assert.throws(() => parseRetention('logs=0d'), /between 1 and 36500/);
  assert.equal(defaultConfig({ JOBSCOPE_RETENTION: 'metrics=365d' }).retention.metricsDays, 365);
});

test('configuration is checked at start with precise messages', () => {
  const c = defaultConfig({});
  assert.doesNotThrow(() => validateConfig(c));
  assert.throws(() => validateConfig({ ...c, host: '0.0.0.0' }), /without a token/);
  assert.doesNotThrow(() => validateConfig({ ...c, host: '0.0.0.0', insecure: true }));
  assert.doesNotThrow(() => validateConfig({ ...c, host: '0.0.0.0', token: 'long-enough-token' }));
  assert.throws(() => validateConfig({ ...c, token: 'short' }), /at least 8/);
  assert.throws(() => validateConfig({ ...c, port: 70000 }), /port/);
  assert.throws(() => validateConfig({ ...c, clickhouseUrl: 'not a url' }), /--clickhouse must be a URL/);
  assert.throws(() => validateConfig({ ...c, clickhouseUrl: 'ftp://x' }), /http/);
});

test('uiDir must be an existing directory when given', () => {
  const c = defaultConfig({});
  assert.equal(c.uiDir, undefined);
  assert.doesNotThrow(() => validateConfig({ ...c, uiDir: tmpdir() }));
  assert.throws(() => validateConfig({ ...c, uiDir: join(tmpdir(), 'jobscope-no-such-dir-' + process.pid) }), /uiDir must be an existing directory/);
  assert.throws(() => validateConfig({ ...c, uiDir: fileURLToPath(import.meta.url) }), /uiDir must be an existing directory/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobscopeError } from '@jobscope/core';
import { DEFAULT_FILE_TAIL_CONFIG, resolveFileTailConfig, type FileTailOptions } from '../config.js';
import { describeFile } from '../records.js';

const base: FileTailOptions = { include: ['/workspace/logs/*.log'], checkpointFile: '/var/lib/jobscope/file_tail.json' };

test('defaults', () => {
  const c = resolveFileTailConfig(base);
  assert.deepEqual(c, { ...DEFAULT_FILE_TAIL_CONFIG, ...base });
  assert.equal(c.pollIntervalMs, 250);
  assert.equal(c.rescanIntervalMs, 1000);
  assert.equal(c.startAt, 'beginning');
  assert.equal(c.maxLineBytes, 1 << 20);
  assert.equal(c.maxBatchLines, 1000);
  assert.equal(c.maxBatchBytes, 1 << 20);
  assert.equal(c.maxOpenFiles, 1024);
});

test('invalid settings are JS_CONFIG errors', () => {
  const bad: Array<[Partial<FileTailOptions>, RegExp]> = [
    [{ include: [] }, /at least one/],
    [{ include: ['logs/*.log'] }, /absolute/],
    [{ exclude: ['*.gz'] }, /exclude/],
    [{ checkpointFile: '' }, /checkpointFile/],
    [{ pollIntervalMs: 0 }, /pollIntervalMs/],
    [{ rescanIntervalMs: 1.5 }, /rescanIntervalMs/],
    [{ startAt: 'middle' as 'end' }, /startAt/],
    [{ maxLineBytes: 1 }, /maxLineBytes/],
    [{ maxBatchLines: 0 }, /maxBatchLines/],
    [{ maxOpenFiles: -1 }, /maxOpenFiles/],
    [{ pathPattern: '(' }, /pathPattern/],
  ];
  for (const [o, msg] of bad) {
    assert.throws(() => resolveFileTailConfig({ ...base, ...o }), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_CONFIG' && msg.test(e.message));
  }
});

test('the default pathPattern reads the PM2 layout', () => {
  const re = new RegExp(DEFAULT_FILE_TAIL_CONFIG.pathPattern);
  assert.deepEqual(describeFile('/workspace/logs/trainer-0-out.log', re), {
    resource: { 'log.file.path': '/workspace/logs/trainer-0-out.log', 'log.file.name': 'trainer-0-out.log', 'service.name': 'trainer-0' },
    stream: 'stdout',
  });
  assert.equal(describeFile('/workspace/logs/api-error.log', re).stream, 'stderr');
  assert.deepEqual(describeFile('/var/log/syslog', re), { resource: { 'log.file.path': '/var/log/syslog', 'log.file.name': 'syslog' }, stream: undefined });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import { DEFAULT_FORWARD_RECEIVER_CONFIG, isLoopback, resolveForwardReceiverConfig, type ForwardReceiverConfig } from '../config.js';
import { createForwardReceiver } from '../receiver.js';

const configError = (e: unknown): boolean => e instanceof JobscopeError && e.code === 'JS_CONFIG';

test('defaults', () => {
  const c = resolveForwardReceiverConfig();
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 24224);
  assert.equal(c.maxMessageBytes, 16 * 1024 * 1024);
  assert.equal(c.maxDecompressedBytes, 64 * 1024 * 1024);
  assert.equal(c.maxConnections, 1024);
  assert.equal(c.idleTimeoutMs, 300_000);
  assert.equal(c.insecure, false);
  assert.equal(c.sharedKey, undefined);
  assert.equal(c.selfHostname, DEFAULT_FORWARD_RECEIVER_CONFIG.selfHostname);
  assert.equal(resolveForwardReceiverConfig({ port: undefined } as unknown as Partial<ForwardReceiverConfig>).port, 24224);
});

test('a non-loopback host needs a shared key or insecure: true', () => {
  assert.throws(() => createForwardReceiver(async () => {}, { host: '0.0.0.0' }), configError);
  assert.throws(() => createForwardReceiver(async () => {}, { host: '10.1.2.3' }), configError);
  assert.throws(() => createForwardReceiver(async () => {}, { host: '::' }), configError);
  assert.doesNotThrow(() => createForwardReceiver(async () => {}, { host: '0.0.0.0', sharedKey: 'k' }));
  assert.doesNotThrow(() => createForwardReceiver(async () => {}, { host: '0.0.0.0', insecure: true }));
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '192.168.1.1', 'example.com', '128.0.0.1']) assert.equal(isLoopback(h), false, h);
});

test('invalid values are JS_CONFIG errors', () => {
  for (const bad of [
    { port: -1 }, { port: 70000 }, { port: 1.5 }, { maxMessageBytes: 0 }, { maxDecompressedBytes: -5 }, { maxConnections: 0 },
    { idleTimeoutMs: 0 }, { sharedKey: '' }, { selfHostname: '' }, { host: '' },
  ]) assert.throws(() => resolveForwardReceiverConfig(bad), configError, JSON.stringify(bad));
});

test('listen on a port in use rejects with JS_CONFIG; listen twice is refused', async () => {
  const a = createForwardReceiver(async () => {}, { port: 0 });
  const { port, host } = await a.listen();
  assert.equal(host, '127.0.0.1');
  assert.ok(port > 0);
  await assert.rejects(a.listen(), JobscopeError);
  const b = createForwardReceiver(async () => {}, { port });
  await assert.rejects(b.listen(), configError);
  await b.close();
  await a.close();
  await assert.rejects(a.listen(), JobscopeError);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { emit, sender } from './fluent-client.js';
import { RawClient, collect, encode, start, waitFor } from './helpers.js';

const KEY = 'very-secret-shared-key';
const SERVER = 'jobscope-test-server';
const sha512 = (...parts: Array<string | Uint8Array>): string => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

test('shared key: fluent-logger completes HELO / PING / PONG and delivers with acks', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { sharedKey: KEY, selfHostname: SERVER });
  const s = sender(port, 'secure', { security: { clientHostname: 'worker-1', sharedKey: KEY }, requireAckResponse: true, ackResponseTimeout: 5000 });
  await emit(s, 'a', { message: 'authenticated' });
  await emit(s, 'a', { message: 'again' });
  assert.deepEqual(c.records().map((r) => r.body), ['authenticated', 'again']);
  assert.equal(receiver.stats().authFailures, 0);
  s.end();
});

test('shared key: a wrong key gets PONG false, the connection is closed and nothing is delivered', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { sharedKey: KEY, selfHostname: SERVER });
  const s = sender(port, 'secure', { security: { clientHostname: 'worker-1', sharedKey: 'wrong' }, requireAckResponse: true, ackResponseTimeout: 5000 });
  const failed = new Promise<Error>((resolve) => s.on('error', resolve));
  void emit(s, 'a', { message: 'intruder' }).catch(() => undefined);
  const err = await failed;
  assert.match(err.message, /shared_key mismatch/);
  await waitFor(() => receiver.stats().authFailures === 1 && receiver.stats().connections === 0, 'the connection to close');
  assert.equal(c.items.length, 0);
});

test('shared key, raw: the HELO nonce, the PING digest and the PONG digest follow the spec', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { sharedKey: KEY, selfHostname: SERVER });
  const client = await RawClient.open(port);
  const helo = await client.reply() as [string, { nonce: Uint8Array; auth: string; keepalive: boolean }];
  assert.equal(helo[0], 'HELO');
  assert.equal(helo[1].nonce.length, 16);
  assert.equal(helo[1].auth, '');
  assert.equal(helo[1].keepalive, true);
  const salt = 'salt-123';
  client.send(encode(['PING', 'client-host', salt, sha512(salt, 'client-host', helo[1].nonce, KEY), '', '']));
  assert.deepEqual(await client.reply(1), ['PONG', true, '', SERVER, sha512(salt, SERVER, helo[1].nonce, KEY)]);
  client.send(encode(['after.auth', 1_700_000_000, { message: 'in' }, { chunk: 'a-1' }]));
  assert.deepEqual(await client.reply(2), { ack: 'a-1' });
  assert.equal(c.items.length, 1);
  assert.equal(receiver.stats().authFailures, 0);
  client.destroy();
});

test('shared key, raw: data before PING is refused with PONG false and a close', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { sharedKey: KEY, selfHostname: SERVER });
  const client = await RawClient.open(port);
  await client.reply();
  client.send(encode(['sneaky', 1_700_000_000, { message: 'no handshake' }, { chunk: 'x' }]));
  await client.waitClosed();
  assert.deepEqual(client.replies[1], ['PONG', false, 'invalid ping message', '', '']);
  assert.equal(client.replies.length, 2);
  assert.equal(receiver.stats().authFailures, 1);
  assert.equal(c.items.length, 0);
});

test('shared key, raw: a PING with a wrong digest is refused', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { sharedKey: KEY, selfHostname: SERVER });
  const client = await RawClient.open(port);
  await client.reply();
  client.send(encode(['PING', 'client-host', 'salt', sha512('salt', 'client-host', 'not-the-nonce', KEY), '', '']));
  assert.deepEqual(await client.reply(1), ['PONG', false, 'shared_key mismatch', '', '']);
  await client.waitClosed();
  assert.equal(receiver.stats().authFailures, 1);
});

test('shared key, raw: a client that never sends PING is closed', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { sharedKey: KEY, selfHostname: SERVER, idleTimeoutMs: 200 });
  const client = await RawClient.open(port);
  await client.reply();
  await client.waitClosed();
  assert.equal(receiver.stats().authFailures, 1);
});

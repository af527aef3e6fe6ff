import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import { RawClient, assertServes, collect, encode, start, waitFor } from './helpers.js';

const T = 1_700_000_000;
const overloaded = (): JobscopeError => new JobscopeError('JS_OVERLOADED', 'buffer full', { retryAfter: 0.05 });

test('push-back twice then accepted: exactly one delivery and one ack, and no ack before it', async (t) => {
  const events: string[] = [];
  const c = collect((_t, call) => {
    if (call <= 2) { events.push('reject'); throw overloaded(); }
    events.push('accept');
  });
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.socket.on('data', () => events.push('ack'));
  client.send(encode(['bp', T, { message: 'once' }, { chunk: 'bp-1' }]));
  assert.deepEqual(await client.reply(), { ack: 'bp-1' });
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(events, ['reject', 'reject', 'accept', 'ack']);
  assert.equal(c.items.length, 1);
  assert.deepEqual(client.replies, [{ ack: 'bp-1' }]);
  const s = receiver.stats();
  assert.equal(s.backpressureWaits, 2);
  assert.equal(s.acks, 1);
  assert.equal(s.records, 1);
  assert.equal(s.messages, 1);
  client.destroy();
});

test('messages behind a pushed-back one wait their turn: order and acks are kept', async (t) => {
  const c = collect((_t, call) => {
    if (call === 1) throw new JobscopeError('JS_UNAVAILABLE', 'buffer unavailable', { retryAfter: 0.05 });
  });
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  for (let i = 1; i <= 5; i++) client.send(encode(['order', T, { message: `m${i}` }, { chunk: `o-${i}` }]));
  await client.reply(4);
  assert.deepEqual(client.replies, [1, 2, 3, 4, 5].map((i) => ({ ack: `o-${i}` })));
  assert.deepEqual(c.records().map((r) => r.body), ['m1', 'm2', 'm3', 'm4', 'm5']);
  client.destroy();
});

test('push-back without retryAfter waits the default 1 s', async (t) => {
  const c = collect((_t, call) => { if (call === 1) throw new JobscopeError('JS_OVERLOADED', 'full'); });
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  const t0 = Date.now();
  client.send(encode(['bp', T, { message: 'x' }, { chunk: 'd-1' }]));
  await client.reply(0, 5000);
  assert.ok(Date.now() - t0 >= 900, `acked after ${Date.now() - t0} ms`);
  client.destroy();
});

test('any other error from next closes the connection without an ack', async (t) => {
  const c = collect((_t, call) => { if (call === 1) throw new Error('disk on fire'); });
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['err', T, { message: 'lost?' }, { chunk: 'e-1' }]));
  await client.waitClosed();
  assert.deepEqual(client.replies, []);
  assert.equal(receiver.stats().consumerErrors, 1);
  assert.equal(receiver.stats().acks, 0);
  await assertServes(port, c); // the client resends on a new connection
});

test('a connection reset while pushed back stops the retries; close() does not wait them out', async (t) => {
  let calls = 0;
  const c = collect(() => { calls++; throw new JobscopeError('JS_OVERLOADED', 'full', { retryAfter: 30 }); });
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['gone', T, { message: 'x' }, { chunk: 'g-1' }]));
  await waitFor(() => calls === 1, 'the first attempt');
  client.socket.resetAndDestroy();
  await waitFor(() => receiver.stats().connections === 0, 'the server to see the close');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(calls, 1);
  // A second one still waiting when the receiver closes.
  const client2 = await RawClient.open(port);
  client2.send(encode(['gone', T, { message: 'y' }, { chunk: 'g-2' }]));
  await waitFor(() => calls === 2, 'the second attempt');
  const t0 = Date.now();
  await receiver.close();
  assert.ok(Date.now() - t0 < 2000);
  await client2.waitClosed();
  assert.deepEqual(client2.replies, []);
  assert.equal(calls, 2);
});

test('close() waits for a next() call in flight', async (t) => {
  let release: () => void = () => {};
  let called = false;
  let resolved = false;
  const c = collect(async () => { called = true; await new Promise<void>((r) => { release = r; }); resolved = true; });
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['slow', T, { message: 'x' }, { chunk: 's-1' }]));
  await waitFor(() => called, 'next to be called');
  const closing = receiver.close();
  setTimeout(() => release(), 100);
  await closing;
  assert.equal(resolved, true);
  await client.waitClosed();
  assert.deepEqual(client.replies, [], 'the connection was closed, so no ack');
});

test('a client that half-closes while pushed back still gets its message delivered and acked', async (t) => {
  const c = collect((_t, call) => { if (call === 1) throw overloaded(); });
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['half', T, { message: 'x' }, { chunk: 'h-1' }]));
  client.socket.end();
  await client.waitClosed();
  assert.deepEqual(client.replies, [{ ack: 'h-1' }]);
  assert.equal(c.items.length, 1);
});

test('while next() is busy the socket is not read: TCP pushes back on the sender', async (t) => {
  let release: () => void = () => {};
  let calls = 0;
  const c = collect(async () => { calls++; if (calls === 1) await new Promise<void>((r) => { release = r; }); });
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  const one = encode(['flood', T, { message: 'f'.repeat(64 * 1024) }]);
  const n = 200; // 12.8 MiB: more than the loopback socket buffers hold while nobody reads
  for (let i = 0; i < n; i++) client.socket.write(one);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(client.socket.writableLength > 1024 * 1024, `the sender is blocked (${client.socket.writableLength} bytes unsent)`);
  assert.equal(calls, 1, 'only the first message is being handled');
  release();
  await waitFor(() => c.items.length === n, 'everything to be delivered', 8000);
  assert.equal(client.socket.writableLength, 0);
  client.destroy();
});

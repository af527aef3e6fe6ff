import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { RawClient, assertServes, collect, encode, start, waitFor } from './helpers.js';

const T = 1_700_000_000;
const closedFor = (s: { malformed: number; oversize: number }): number => s.malformed + s.oversize;

test('random bytes: the connection is closed and counted, the receiver keeps serving', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { maxMessageBytes: 64 * 1024 });
  for (let i = 0; i < 20; i++) {
    const client = await RawClient.open(port);
    const junk = randomBytes(1 + Math.floor(Math.random() * 4096));
    if (junk[0] === 0xc0) junk[0] = 0xc1; // a lone nil would be a valid heartbeat
    client.send(junk);
    client.socket.end(); // whatever the bytes began, a message cut by EOF is bad data too
    await client.waitClosed();
  }
  assert.equal(closedFor(receiver.stats()), 20);
  assert.equal(c.items.length, 0);
  // Invalid msgpack (0xc1) is caught without waiting for EOF.
  const bad = await RawClient.open(port);
  bad.send(Buffer.from([0x93, 0xa1, 0x61, 0xc1, 0x00]));
  await bad.waitClosed();
  assert.equal(receiver.stats().malformed >= 1, true);
  await assertServes(port, c);
  await waitFor(() => receiver.stats().connections === 0, 'all connections gone');
});

test('a truncated message then close: counted as malformed, nothing delivered, nothing acked', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  const full = encode(['trunc', T, { message: 'never' }, { chunk: 'tr-1' }]);
  client.send(full.subarray(0, full.length - 5));
  client.socket.end();
  await client.waitClosed();
  assert.equal(receiver.stats().malformed, 1);
  assert.equal(c.items.length, 0);
  assert.deepEqual(client.replies, []);
  await assertServes(port, c);
});

test('wrong-shaped values close the connection', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer);
  const shapes: unknown[] = [
    { tag: 'x' }, // not an array
    42,
    ['only-tag'],
    [1, T, { message: 'tag is a number' }],
    ['t', T, { message: 'too' }, {}, 'many'],
    ['t', true, { message: 'time is a boolean' }],
    ['t', 'time as str', { message: 'becomes a packed stream that does not decode' }],
    ['t', [[T]]], // entry without record
    ['t', [T, { message: 'entry is not an array' }]],
    ['t', [[T, { message: 'x' }]], 'option is not a map'],
    ['t', Buffer.from([0x92, 0xce]), { chunk: 'c' }], // truncated packed entries
    ['t', Buffer.from('not gzip'), { compressed: 'gzip' }],
    ['t', Buffer.from([0x90]), { compressed: 'zstd' }],
  ];
  for (const shape of shapes) {
    const client = await RawClient.open(port);
    client.send(encode(shape));
    await client.waitClosed();
    assert.deepEqual(client.replies, [], JSON.stringify(shape));
  }
  assert.equal(receiver.stats().malformed, shapes.length);
  assert.equal(c.items.length, 0);
  await assertServes(port, c);
});

test('a message beyond maxMessageBytes is refused from its header, before it is buffered', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { maxMessageBytes: 64 * 1024 });
  const client = await RawClient.open(port);
  client.send(encode(['big', T, { message: 'x'.repeat(1024 * 1024) }, { chunk: 'b-1' }]));
  await client.waitClosed();
  // A huge declared array count in a few bytes is oversize as well.
  const client2 = await RawClient.open(port);
  client2.send(Buffer.from([0x93, 0xa1, 0x74, 0xdd, 0x7f, 0xff, 0xff, 0xff]));
  await client2.waitClosed();
  assert.equal(receiver.stats().oversize, 2);
  assert.equal(c.items.length, 0);
  await assertServes(port, c);
});

test('a gzip bomb beyond maxDecompressedBytes closes the connection', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { maxDecompressedBytes: 1024 * 1024 });
  const entries = Buffer.concat(Array.from({ length: 64 }, () => encode([T, { message: 'z'.repeat(64 * 1024) }])));
  const bomb = gzipSync(entries, { level: 9 });
  assert.ok(bomb.length < 64 * 1024);
  const client = await RawClient.open(port);
  client.send(encode(['bomb', bomb, { chunk: 'boom', compressed: 'gzip' }]));
  await client.waitClosed();
  assert.deepEqual(client.replies, []);
  assert.equal(receiver.stats().oversize, 1);
  assert.equal(c.items.length, 0);
  await assertServes(port, c);
});

test('connections beyond maxConnections are closed at once; a slot frees when one leaves', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { maxConnections: 2 });
  const a = await RawClient.open(port);
  const b = await RawClient.open(port);
  a.send(encode(['mc', T, { message: 'a' }, { chunk: 'a' }]));
  b.send(encode(['mc', T, { message: 'b' }, { chunk: 'b' }]));
  await a.reply();
  await b.reply();
  assert.equal(receiver.stats().connections, 2);
  const third = await RawClient.open(port);
  await third.waitClosed();
  assert.equal(receiver.stats().refused, 1);
  a.destroy();
  await a.waitClosed();
  await waitFor(() => receiver.stats().connections === 1, 'the slot to free');
  await assertServes(port, c);
  b.destroy();
});

test('an idle connection is closed after idleTimeoutMs', async (t) => {
  const c = collect();
  const { port } = await start(t, c.consumer, { idleTimeoutMs: 100 });
  const client = await RawClient.open(port);
  await client.waitClosed();
});

test('fuzz: mutated valid messages of every mode never take the receiver down', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer, { maxMessageBytes: 256 * 1024, maxDecompressedBytes: 256 * 1024 });
  const entries = Buffer.concat([encode([T, { message: 'a', n: 1 }]), encode([T, { message: 'b', m: [1, { x: 2 }] }])]);
  const seeds = [
    encode(['m', T, { message: 'hello', nested: { a: [1, 2, 3] } }, { chunk: 'c' }]),
    encode(['f', [[T, { message: 'x' }], [T, { message: 'y' }]], { chunk: 'c' }]),
    encode(['p', entries, { chunk: 'c' }]),
    encode(['z', gzipSync(entries), { chunk: 'c', compressed: 'gzip' }]),
  ];
  let seed = 42;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  for (let i = 0; i < 120; i++) {
    const msg = Buffer.from(seeds[i % seeds.length]!);
    for (let k = 0; k <= rand(4); k++) msg[rand(msg.length)] = rand(256);
    const client = await RawClient.open(port);
    client.send(msg);
    client.socket.end();
    await client.waitClosed();
  }
  const s = receiver.stats();
  assert.equal(s.connections, 0);
  assert.equal(s.consumerErrors, 0);
  assert.ok(s.malformed + s.oversize + s.messages >= 120, 'every connection either delivered or was counted as bad');
  await assertServes(port, c);
});

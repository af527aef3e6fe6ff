import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { EventTime } from '../codec.js';
import { FORWARD_SCOPE_NAME } from '../connection.js';
import { RawClient, collect, encode, start, waitFor } from './helpers.js';

const T = 1_700_000_000;

test('Message mode: fields become attributes, message the body, tag a resource attribute; chunk is acked', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['app.web', T, { message: 'hello', level: 'warn', user: 'u1', n: 3, nested: { a: [1, 2] } }, { chunk: 'c-1' }]));
  assert.deepEqual(await client.reply(), { ack: 'c-1' });
  assert.equal(c.items.length, 1);
  const item = c.items[0]!;
  assert.equal(item.signal, 'logs');
  const rl = (item.request as { resourceLogs: Array<{ resource: { attributes: Record<string, unknown> }; scopeLogs: Array<{ scope: { name: string } }> }> }).resourceLogs[0]!;
  assert.deepEqual(rl.resource.attributes, { 'fluent.tag': 'app.web' });
  assert.equal(rl.scopeLogs[0]!.scope.name, FORWARD_SCOPE_NAME);
  const [r] = c.records();
  assert.equal(r!.body, 'hello');
  assert.equal(r!.severityText, 'warn');
  assert.deepEqual(r!.attributes, { level: 'warn', user: 'u1', n: 3, nested: { a: [1, 2] } });
  assert.equal(r!.timeUnixNano, `${T}000000000`);
  assert.deepEqual({ ...receiver.stats(), connections: 0 }, {
    connections: 0, messages: 1, records: 1, acks: 1, malformed: 0, oversize: 0, backpressureWaits: 0, refused: 0, skipped: 0, authFailures: 0, consumerErrors: 0,
  });
  client.destroy();
});

test('Message mode without an option: delivered, nothing written back', async (t) => {
  const c = collect();
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['a', T, { message: 'x' }]));
  client.send(encode(['a', T, { message: 'y' }, null]));
  await waitFor(() => c.items.length === 2, 'two deliveries');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(client.replies.length, 0);
  assert.deepEqual(c.records().map((r) => r.body), ['x', 'y']);
  client.destroy();
});

test('Forward mode: one telemetry per message, in order, EventTime with ns precision', async (t) => {
  const c = collect();
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['fwd', [
    [new EventTime(T, 123_456_789), { message: 'one' }],
    [T + 1, { message: 'two' }],
    [new EventTime(T, 1), { message: 'three' }],
  ], { chunk: 'f-1', size: 3 }]));
  assert.deepEqual(await client.reply(), { ack: 'f-1' });
  assert.equal(c.items.length, 1);
  assert.deepEqual(c.records().map((r) => [r.body, r.timeUnixNano, r.tag]), [
    ['one', `${T}123456789`, 'fwd'],
    ['two', `${T + 1}000000000`, 'fwd'],
    ['three', `${T}000000001`, 'fwd'],
  ]);
  client.destroy();
});

test('PackedForward mode: bin entries, and str entries as older fluentd sends them', async (t) => {
  const c = collect();
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  const entries = Buffer.concat([encode([new EventTime(T, 5), { message: 'p1', k: 'v' }]), encode([T, { message: 'p2' }])]);
  client.send(encode(['packed', entries, { chunk: 'p-1', size: 2 }]));
  assert.deepEqual(await client.reply(), { ack: 'p-1' });
  // The same bytes as a msgpack str (0xdb + u32 length): must be taken byte for byte, not as UTF-8.
  const asStr = Buffer.concat([Buffer.from([0xdb, 0, 0, 0, 0]), entries]);
  asStr.writeUInt32BE(entries.length, 1);
  client.send(Buffer.concat([Buffer.from([0x93]), encode('packed.str'), asStr, encode({ chunk: 'p-2', compressed: 'text' })]));
  assert.deepEqual(await client.reply(1), { ack: 'p-2' });
  assert.deepEqual(c.records().map((r) => [r.tag, r.body, r.timeUnixNano, r.attributes]), [
    ['packed', 'p1', `${T}000000005`, { k: 'v' }],
    ['packed', 'p2', `${T}000000000`, {}],
    ['packed.str', 'p1', `${T}000000005`, { k: 'v' }],
    ['packed.str', 'p2', `${T}000000000`, {}],
  ]);
  client.destroy();
});

test('CompressedPackedForward: a payload of two gzip members is read whole', async (t) => {
  const c = collect();
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  const part1 = Buffer.concat([encode([T, { message: 'g1' }]), encode([T, { message: 'g2' }])]);
  const part2 = encode([new EventTime(T, 999_999_999), { message: 'g3' }]);
  const payload = Buffer.concat([gzipSync(part1), gzipSync(part2)]);
  client.send(encode(['gz', payload, { chunk: 'z-1', size: 3, compressed: 'gzip' }]));
  assert.deepEqual(await client.reply(), { ack: 'z-1' });
  assert.equal(c.items.length, 1);
  assert.deepEqual(c.records().map((r) => [r.body, r.timeUnixNano]), [['g1', `${T}000000000`], ['g2', `${T}000000000`], ['g3', `${T}999999999`]]);
  client.destroy();
});

test('a message split into 1-byte writes and many messages in one write are both framed right', async (t) => {
  const c = collect();
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  const one = encode(['split', [[T, { message: 'a'.repeat(300) }], [T, { message: 'b' }]], { chunk: 's-1' }]);
  client.socket.setNoDelay(true);
  for (const byte of one) {
    client.send(Buffer.from([byte]));
    if (byte % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(await client.reply(), { ack: 's-1' });
  const many = Buffer.concat(Array.from({ length: 50 }, (_, i) => encode(['many', T, { message: `m${i}` }, { chunk: `m-${i}` }])));
  client.send(many);
  await client.reply(50);
  assert.deepEqual(client.replies.slice(1).map((r) => (r as { ack: string }).ack), Array.from({ length: 50 }, (_, i) => `m-${i}`));
  assert.deepEqual(c.records().slice(2).map((r) => r.body), Array.from({ length: 50 }, (_, i) => `m${i}`));
  client.destroy();
});

test('time: 0 / nil mean the receive time, float seconds, Fluent Bit [[time, metadata], record]; heartbeat nil is ignored', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  const before = BigInt(Date.now()) * 1_000_000n;
  client.send(encode(null));
  client.send(encode(['tm', [
    [0, { message: 'zero' }],
    [null, { message: 'nil' }],
    [T + 0.25, { message: 'float' }],
    [[new EventTime(T, 7), { source: 'fluent-bit' }], { message: 'meta' }],
  ], { chunk: 't-1' }]));
  assert.deepEqual(await client.reply(), { ack: 't-1' });
  const recs = c.records();
  assert.deepEqual(recs.map((r) => r.body), ['zero', 'nil', 'float', 'meta']);
  assert.ok(BigInt(recs[0]!.timeUnixNano) >= before);
  assert.equal(recs[0]!.timeUnixNano, recs[0]!.observedTimeUnixNano);
  assert.ok(BigInt(recs[1]!.timeUnixNano) >= before);
  assert.equal(recs[2]!.timeUnixNano, `${T}250000000`);
  assert.equal(recs[3]!.timeUnixNano, `${T}000000007`);
  assert.equal(receiver.stats().messages, 1);
  client.destroy();
});

test('records that are not maps are skipped and counted; a message of only those is still acked', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['skip', [[T, 'a string'], [T, { message: 'kept' }], [T, null], [T, [1, 2]]], { chunk: 'k-1' }]));
  assert.deepEqual(await client.reply(), { ack: 'k-1' });
  client.send(encode(['skip', T, 42, { chunk: 'k-2' }]));
  assert.deepEqual(await client.reply(1), { ack: 'k-2' });
  assert.equal(c.items.length, 1, 'a message without records is not handed on');
  assert.deepEqual(c.records().map((r) => r.body), ['kept']);
  assert.equal(receiver.stats().skipped, 4);
  assert.equal(receiver.stats().malformed, 0);
  assert.equal(client.isClosed, false);
  client.destroy();
});

test('a client may send, shut its side, and still receive its acks', async (t) => {
  const c = collect(async () => { await new Promise((r) => setTimeout(r, 30)); });
  const { port } = await start(t, c.consumer);
  const client = await RawClient.open(port);
  client.send(encode(['half', T, { message: 'h1' }, { chunk: 'h-1' }]));
  client.send(encode(['half', T, { message: 'h2' }, { chunk: 'h-2' }]));
  client.socket.end();
  await client.waitClosed();
  assert.deepEqual(client.replies, [{ ack: 'h-1' }, { ack: 'h-2' }]);
  assert.equal(c.items.length, 2);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTimeCtor, emit, sender } from './fluent-client.js';
import { collect, start, waitFor } from './helpers.js';

test('fluent-logger, Message mode without acks: records arrive with fields as attributes and message as body', async (t) => {
  const c = collect();
  const { port, receiver } = await start(t, c.consumer);
  const s = sender(port, 'app');
  for (let i = 0; i < 3; i++) await emit(s, 'web', { message: `hello ${i}`, level: 'error', job_id: 'job-7', n: i });
  await waitFor(() => c.items.length === 3, 'three records');
  const recs = c.records();
  assert.deepEqual(recs.map((r) => r.body), ['hello 0', 'hello 1', 'hello 2']);
  assert.deepEqual(recs[2]!.attributes, { level: 'error', job_id: 'job-7', n: 2 });
  assert.equal(recs[0]!.tag, 'app.web');
  assert.equal(recs[0]!.severityNumber, 17);
  assert.equal(receiver.stats().acks, 0);
  s.end();
});

test('fluent-logger, Message mode with requireAckResponse: the callback fires only once the record was delivered', async (t) => {
  const c = collect(async () => { await new Promise((r) => setTimeout(r, 20)); });
  const { port, receiver } = await start(t, c.consumer);
  const s = sender(port, 'acked', { requireAckResponse: true, ackResponseTimeout: 5000 });
  for (let i = 0; i < 5; i++) {
    await emit(s, 'x', { message: `m${i}` });
    assert.equal(c.items.length, i + 1, 'delivered before the ack');
  }
  assert.equal(receiver.stats().acks, 5);
  s.end();
});

test('fluent-logger EventTime keeps nanoseconds; plain timestamps are seconds', async (t) => {
  const c = collect();
  const { port } = await start(t, c.consumer);
  const s = sender(port, 'et', { requireAckResponse: true, ackResponseTimeout: 5000 });
  await emit(s, 'a', { message: 'precise' }, new EventTimeCtor(1_700_000_000, 123_456_789));
  await emit(s, 'a', { message: 'date' }, new Date(1_700_000_001_999));
  const recs = c.records();
  assert.equal(recs[0]!.timeUnixNano, '1700000000123456789');
  assert.equal(recs[1]!.timeUnixNano, '1700000001000000000');
  s.end();
});

for (const eventMode of ['PackedForward', 'CompressedPackedForward'] as const) {
  test(`fluent-logger, ${eventMode} with acks`, async (t) => {
    const c = collect();
    const { port, receiver } = await start(t, c.consumer);
    const s = sender(port, 'packed', { eventMode, requireAckResponse: true, ackResponseTimeout: 5000, flushInterval: 20 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => emit(s, i % 2 ? 'odd' : 'even', { message: `p${i}`, i }, new EventTimeCtor(1_700_000_000, i))));
    const recs = c.records();
    assert.equal(recs.length, 20);
    assert.deepEqual(new Set(recs.map((r) => r.tag)), new Set(['packed.odd', 'packed.even']));
    const byI = new Map(recs.map((r) => [r.attributes['i'], r]));
    assert.equal(byI.get(7)!.body, 'p7');
    assert.equal(byI.get(7)!.timeUnixNano, '1700000000000000007');
    assert.equal(receiver.stats().malformed, 0);
    assert.ok(receiver.stats().acks >= 2);
    s.end();
  });
}

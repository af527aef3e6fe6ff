import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ConnectorLogger } from './connector-logger.js';
import { StreamSink } from './stdout-sink.js';

function collector(): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      setImmediate(cb);
    },
  });
  return { stream, chunks };
}

test('StreamSink writes one newline-terminated JSON line per record', async () => {
  const { stream, chunks } = collector();
  const log = new ConnectorLogger({ machineId: 'm', serviceType: 'rest', sink: new StreamSink(stream), env: {} });
  for (let i = 0; i < 20; i++) log.info('line', { i });
  await log.flush(1000);
  const text = chunks.join('');
  const lines = text.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 20);
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { i: number }).i), [...Array(20).keys()]);
  assert.equal(log.sink.stats().accepted, 20);
});

test('StreamSink: a stream error is counted, never thrown', async () => {
  const stream = new Writable({ write(_c, _e, cb) { cb(new Error('EPIPE')); } });
  const sink = new StreamSink(stream);
  assert.doesNotThrow(() => sink.write('{}'));
  await new Promise((r) => setImmediate(r));
  assert.equal(sink.stats().dropped, 1);
  assert.doesNotThrow(() => sink.write('{}')); // after the stream is destroyed
  await sink.close(100);
});

test('a logger with no sink writes to stdout', () => {
  const original = process.stdout.write;
  const out: string[] = [];
  process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
  try {
    new ConnectorLogger({ machineId: 'm', serviceType: 'rest', env: {} }).info('to stdout');
  } finally {
    process.stdout.write = original;
  }
  assert.equal(out.length, 1);
  assert.ok(out[0].endsWith('\n'));
  assert.equal((JSON.parse(out[0]) as { msg: string }).msg, 'to stdout');
});

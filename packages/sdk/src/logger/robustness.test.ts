/** Odd inputs never throw into the caller, and every line stays one valid JSON object. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExporterStats, LineSink } from '../contract.js';
import { ConnectorLogger } from './connector-logger.js';
import { MemorySink } from './testkit.js';

function logger(max?: number): { log: ConnectorLogger; sink: MemorySink } {
  const sink = new MemorySink();
  return { sink, log: new ConnectorLogger({ machineId: 'm', serviceType: 'comfyui', sink, env: {}, level: 'trace', maxStringLength: max }) };
}

test('undefined, null and primitive meta', () => {
  const { log, sink } = logger();
  log.info('a', undefined);
  log.info('b', null as never);
  log.info('c', 'extra' as never);
  log.info('d', 42 as never);
  log.info('e', [1, 'two'] as never);
  log.info('f', (() => 1) as never);
  log.info('g', Symbol('s') as never);
  const r = sink.records();
  assert.equal(r.length, 7);
  assert.equal(r[0].meta, undefined);
  assert.equal(r[1].meta, undefined);
  assert.equal(r[2].meta, 'extra');
  assert.equal(r[3].meta, 42);
  assert.deepEqual(r[4].meta, [1, 'two']);
  assert.equal(r[5].msg, 'f');
});

test('circular, BigInt, nested Errors, Dates, functions and NaN in meta', () => {
  const { log, sink } = logger();
  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;
  circular.list = [circular, { deeper: circular }];
  const nested = { cause: new TypeError('inner'), when: new Date(0), big: 10n, fn: () => 1, nan: NaN, inf: -Infinity };
  log.info('circular', { payload: circular });
  log.info('circular top', circular);
  log.info('nested', nested);
  const [a, b, c] = sink.records();
  assert.deepEqual(a.payload, { name: 'loop', self: '[Circular]', list: ['[Circular]', { deeper: '[Circular]' }] });
  assert.equal(b.self && (b.self as Record<string, unknown>).self, '[Circular]');
  assert.equal((c.cause as Record<string, unknown>).message, 'inner');
  assert.equal((c.cause as Record<string, unknown>).name, 'TypeError');
  assert.equal(c.when, '1970-01-01T00:00:00.000Z');
  assert.equal(c.big, '10');
  assert.ok(!('fn' in c));
  assert.equal(c.nan, null);
  assert.equal(c.inf, null);
  assert.equal(log.stats().serializeErrors, 0);
});

test('repeated (non-circular) references are kept', () => {
  const { log, sink } = logger();
  const shared = { k: 1 };
  log.info('x', { a: shared, b: shared });
  assert.deepEqual(sink.last().a, { k: 1 });
  assert.deepEqual(sink.last().b, { k: 1 });
});

test('Error objects as meta and as message', () => {
  const { log, sink } = logger();
  const e = Object.assign(new Error('ETIMEDOUT talking to ComfyUI'), { code: 'ETIMEDOUT', cause: new Error('socket') });
  log.warn('with error meta', e);
  log.info(e as never);
  log.error(new Error('as message') as never);
  const [a, b, c] = sink.records();
  assert.equal(a.msg, 'with error meta');
  assert.equal(a.error, 'ETIMEDOUT talking to ComfyUI');
  assert.equal(a.error_code, 'ETIMEDOUT');
  assert.equal(a.error_cause, 'socket');
  assert.match(a.stack as string, /^Error: ETIMEDOUT/);
  assert.equal(b.msg, 'ETIMEDOUT talking to ComfyUI');
  assert.equal(b.error_code, 'ETIMEDOUT');
  assert.equal(c.msg, 'as message');
});

test('non-string messages', () => {
  const { log, sink } = logger();
  const inputs: unknown[] = [undefined, null, 42, true, { a: 1 }, ['x'], Symbol('sym'), () => 1, 10n, { toString() { throw new Error('no'); } }];
  for (const m of inputs) log.info(m as never);
  const r = sink.records();
  assert.equal(r.length, inputs.length);
  assert.deepEqual(r.slice(0, 6).map((x) => x.msg), ['undefined', 'null', '42', 'true', '{"a":1}', '["x"]']);
  for (const x of r) assert.equal(typeof x.msg, 'string');
});

test('huge strings are cut to maxStringLength and marked', () => {
  const { log, sink } = logger(1000);
  const huge = 'x'.repeat(5_000_000);
  log.info(huge, { blob: huge, obj: { inner: huge } });
  log.jobFailed('j', Object.assign(new Error(huge), { stack: huge }));
  const [a, b] = sink.records();
  assert.equal(a.msg, 'x'.repeat(1000) + '…[truncated]');
  assert.equal(a.blob, 'x'.repeat(1000) + '…[truncated]');
  assert.equal(typeof a.obj, 'string'); // an oversized object is kept as cut-down text
  assert.ok((a.obj as string).startsWith('{"inner":"xxx'));
  assert.equal((b.error as string).length, 1000 + '…[truncated]'.length);
  assert.ok(sink.lines.every((l) => l.length < 10_000));
});

test('strings that need escaping: quotes, control characters, unicode, lone surrogates', () => {
  const { log, sink } = logger(10);
  const odd = ['say "hi"', 'back\\slash', 'line\nbreak\ttab\u0000nul', 'emoji 🎨 ok', '\u2028sep', 'lone \ud800 surrogate', 'ünïcödé'];
  for (const s of odd) log.info(s, { [s]: s });
  const r = sink.records();
  const cut = (s: string): string => (s.length > 10 ? s.slice(0, 10) + '…[truncated]' : s);
  odd.forEach((s, i) => {
    if (s.includes('\ud800')) return; // lone surrogates are escaped, so they read back as U+FFFD-free text
    assert.equal(r[i].msg, cut(s));
  });
  // a truncation inside an emoji leaves a lone surrogate: still valid JSON
  log.info('1234567890'.slice(0, 9) + '🎨🎨');
  assert.doesNotThrow(() => sink.records());
});

test('a sink that throws is caught and counted', () => {
  const throwing: LineSink = {
    write(): boolean { throw new Error('disk on fire'); },
    flush: async () => { throw new Error('still on fire'); },
    close: async () => {},
    stats: () => ({}) as ExporterStats,
  };
  const log = new ConnectorLogger({ machineId: 'm', serviceType: 'rest', sink: throwing, env: {} });
  assert.doesNotThrow(() => {
    log.info('x');
    log.jobCompleted('j');
    log.withJobContext('j').jobFailed('j', new Error('y'));
  });
  assert.equal(log.stats().sinkErrors, 3);
  assert.equal(log.stats().lastError, 'Error: disk on fire');
  return log.flush(); // never rejects
});

test('a full sink (write returns false) is counted, not an error', () => {
  const sink = new MemorySink();
  sink.write = (line: string) => (sink.lines.push(line), false);
  const log = new ConnectorLogger({ machineId: 'm', serviceType: 'rest', sink, env: {} });
  log.info('x');
  assert.equal(log.stats().sinkFull, 1);
  assert.equal(sink.lines.length, 1);
});

test('meta with throwing getters or a hostile proxy: reduced record with logger_error', () => {
  const { log, sink } = logger();
  const getter = Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get() { throw new Error('getter!'); } });
  const proxy = new Proxy({}, { ownKeys() { throw new Error('proxy!'); }, get() { throw new Error('proxy get!'); } });
  assert.doesNotThrow(() => {
    log.jobCompleted('j1', getter);
    log.info('p', proxy as never);
    log.jobFailed('j2', proxy, proxy as never);
    log.child(proxy as never).info('child of proxy');
    log.healthCheck(proxy as never, proxy as never);
  });
  const r = sink.records();
  assert.equal(r[0].event_type, 'job_completed');
  assert.equal(r[0].job_id, 'j1');
  assert.equal(r[0].logger_error, 'Error: getter!');
  assert.ok(r.length >= 4);
  assert.ok(log.stats().serializeErrors >= 2);
});

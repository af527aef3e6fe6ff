/** The Winston transport alone: line shape, levels, errors, never throws, callback at once, close. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import winston from 'winston';
import type { ExporterStats, LineSink } from '../contract.js';
import { MemorySink } from './testkit.js';
import { JobscopeWinstonTransport } from './winston.js';
import { canonicalLevel, infoToLine } from './winston-line.js';

function logger(sink: LineSink, levels?: winston.config.AbstractConfigSetLevels, level = 'silly'): winston.Logger {
  return winston.createLogger({
    levels: levels ?? winston.config.npm.levels,
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: { machine_id: 'm-1', worker_id: 'm-1-comfyui-0', service_type: 'comfyui' },
    transports: [new JobscopeWinstonTransport({ sink })],
  });
}

const parse = (l: string): Record<string, unknown> => JSON.parse(l) as Record<string, unknown>;

test('each info object becomes one contract line: time in ms, canonical level, msg, meta kept', () => {
  const sink = new MemorySink();
  const before = Date.now();
  logger(sink).info('Job started', { job_id: 'job-1', event_type: 'job_started', jobId: 'alias-kept', nested: { a: [1, 2] } });
  assert.equal(sink.lines.length, 1);
  const o = parse(sink.lines[0]);
  assert.equal(o.level, 'info');
  assert.equal(o.msg, 'Job started');
  assert.equal(typeof o.time, 'number');
  assert.ok((o.time as number) >= before - 1 && (o.time as number) <= Date.now() + 1);
  assert.equal(o.timestamp, undefined, 'timestamp became time');
  assert.equal(o.message, undefined, 'message became msg');
  assert.deepEqual(
    { job_id: o.job_id, event_type: o.event_type, jobId: o.jobId, nested: o.nested, machine_id: o.machine_id, service_type: o.service_type },
    { job_id: 'job-1', event_type: 'job_started', jobId: 'alias-kept', nested: { a: [1, 2] }, machine_id: 'm-1', service_type: 'comfyui' },
  );
});

test('levels: npm, syslog and cli map to the canonical words; unknown ones to info with winston_level', () => {
  const table: Array<[string, string]> = [
    ['error', 'error'], ['warn', 'warn'], ['info', 'info'], ['http', 'info'], ['verbose', 'debug'], ['debug', 'debug'],
    ['silly', 'trace'], ['emerg', 'fatal'], ['alert', 'fatal'], ['crit', 'fatal'], ['warning', 'warn'], ['notice', 'info'],
    ['help', 'info'], ['data', 'info'], ['prompt', 'info'], ['input', 'info'], ['WARN', 'warn'],
  ];
  for (const [w, c] of table) assert.equal(canonicalLevel(w), c, w);
  assert.equal(canonicalLevel('custom'), undefined);

  const sink = new MemorySink();
  const sys = logger(sink, winston.config.syslog.levels, 'debug');
  sys.log('emerg', 'disk on fire');
  sys.log('warning', 'low vram');
  assert.deepEqual(sink.lines.map((l) => parse(l).level), ['fatal', 'warn']);
  const o = parse(infoToLine({ level: 'audit', message: 'x' }));
  assert.deepEqual([o.level, o.winston_level], ['info', 'audit']);
});

test('colorize upstream does not leak into the level (the raw Symbol(level) is used)', () => {
  const sink = new MemorySink();
  const l = winston.createLogger({
    format: winston.format.combine(winston.format.colorize(), winston.format.json()),
    transports: [new JobscopeWinstonTransport({ sink })],
  });
  l.warn('careful');
  assert.equal(parse(sink.lines[0]).level, 'warn');
});

test('errors keep message, name and stack: logger.error(err), a meta Error, format.errors()', () => {
  const sink = new MemorySink();
  const l = logger(sink);
  l.error(new Error('CUDA out of memory'));
  l.error('Job failed', { error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
  const [a, b] = sink.lines.map(parse);
  assert.equal(a.msg, 'CUDA out of memory');
  assert.match(String(a.stack), /Error: CUDA out of memory/);
  assert.equal(a.error_name, 'Error');
  assert.deepEqual([b.error, b.error_name, b.error_code], ['socket hang up', 'Error', 'ECONNRESET']);
  assert.match(String(b.stack), /socket hang up/);
  l.info('elsewhere', { cause: new TypeError('bad arg') });
  const c = parse(sink.lines[2]).cause as Record<string, unknown>;
  assert.deepEqual([c.name, c.message], ['TypeError', 'bad arg']);
});

test('unserializable meta never throws: circular, BigInt, throwing getters', () => {
  const sink = new MemorySink();
  const l = logger(sink);
  const circ: Record<string, unknown> = { a: 1 };
  circ.self = circ;
  assert.doesNotThrow(() => l.info('weird', { circ, big: 10n }));
  const o = parse(sink.lines[0]);
  assert.deepEqual(o.circ, { a: 1, self: '[Circular]' });
  assert.equal(o.big, '10');
  assert.equal(o.msg, 'weird');
  // winston's own json format throws on a throwing getter; the transport, reached without it, does not.
  const t = new JobscopeWinstonTransport({ sink });
  const info = Object.defineProperty({ level: 'info', message: 'm' }, 'x', { enumerable: true, get() { throw new Error('no'); } });
  const bad = { get boom(): never { throw new Error('getter'); }, ok: 1 };
  assert.doesNotThrow(() => t.log({ level: 'info', message: 'm', bad }, () => {}));
  assert.doesNotThrow(() => t.log(info, () => {}));
  assert.equal(parse(sink.lines[2]).msg, 'm');
  assert.equal(parse(sink.lines[1]).bad, '[object Object]');
});

test('a time from format.timestamp({format}) that Date.parse cannot read stays as timestamp', () => {
  const o = parse(infoToLine({ level: 'info', message: 'm', timestamp: 'yesterday-ish' }, 1234));
  assert.deepEqual([o.time, o.timestamp], [1234, 'yesterday-ish']);
  assert.equal(parse(infoToLine({ level: 'info', message: 'm', timestamp: '2026-01-02T03:04:05.678Z' })).time, Date.parse('2026-01-02T03:04:05.678Z'));
});

test('log() calls back at once and never throws, even with a sink that throws or refuses', () => {
  const throwing: LineSink = {
    write() { throw new Error('sink broke'); },
    async flush() {}, async close() {},
    stats: () => ({}) as ExporterStats,
  };
  const t = new JobscopeWinstonTransport({ sink: throwing });
  let called = false;
  t.log({ level: 'info', message: 'm' }, () => { called = true; });
  assert.ok(called, 'callback is synchronous');
  assert.equal(t.stats().errors, 1);

  const refusing = new MemorySink();
  refusing.accept = false;
  const r = new JobscopeWinstonTransport({ sink: refusing });
  r.log({ level: 'info', message: 'm' }, () => {});
  assert.deepEqual([r.stats().logged, r.stats().refused], [1, 1]);
});

test('close(): a given sink is flushed, not closed; logger.close() reaches the transport', async () => {
  const sink = new MemorySink();
  const t = new JobscopeWinstonTransport({ sink });
  const l = winston.createLogger({ transports: [t] });
  l.info('last words');
  const closed = new Promise((r) => t.once('closed', r));
  l.close();
  await closed;
  assert.deepEqual([sink.flushed, sink.closed, sink.lines.length], [1, 0, 1]);
});

test('invalid exporter options throw at construction, with the exporter\'s message', () => {
  assert.throws(() => new JobscopeWinstonTransport({ exporter: { endpoint: 'not a url' } }), /endpoint must be an absolute http\(s\) URL/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import type { ExportLogsServiceRequest } from '@jobscope/otlp';
import type { Telemetry, TelemetryConsumer } from '../../telemetry.js';
import { fluentHttpReceiver, FLUENT_HTTP_SCOPE, type FluentHttpReceiverConfig } from './index.js';
import { tagOf } from './tag.js';

interface Harness { app: FastifyInstance; got: Telemetry[] }

async function harness(config: Partial<FluentHttpReceiverConfig> = {}, consumer?: TelemetryConsumer): Promise<Harness> {
  const got: Telemetry[] = [];
  const next: TelemetryConsumer = consumer ?? (async (t) => { got.push(t); });
  const app = Fastify({ logger: false });
  await app.register(fluentHttpReceiver(next, config));
  await app.ready();
  return { app, got };
}

const post = (app: FastifyInstance, url: string, payload: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.inject({ method: 'POST', url, payload, headers });

const logs = (t: Telemetry): ExportLogsServiceRequest => t.request as ExportLogsServiceRequest;
const records = (t: Telemetry) => logs(t).resourceLogs[0]!.scopeLogs[0]!.logRecords;

test('one JSON object → one log record, 201 with an empty body', async () => {
  const { app, got } = await harness();
  const res = await post(app, '/app.log', JSON.stringify({ message: 'job started', level: 'info', job_id: 'j-1', steps: 20 }));
  assert.equal(res.statusCode, 201);
  assert.equal(res.body, '');
  assert.equal(got.length, 1);
  const t = got[0]!;
  assert.equal(t.signal, 'logs');
  const rl = logs(t).resourceLogs[0]!;
  assert.deepEqual(rl.resource.attributes, { 'fluent.tag': 'app.log' });
  assert.equal(rl.scopeLogs[0]!.scope.name, FLUENT_HTTP_SCOPE);
  const [r] = records(t);
  assert.equal(r!.body, 'job started');
  assert.equal(r!.severityNumber, 9);
  assert.equal(r!.attributes.job_id, 'j-1');
  assert.equal(r!.attributes.steps, 20);
  assert.notEqual(r!.observedTimeUnixNano, '0');
  await app.close();
});

test('an array of objects → one record each', async () => {
  const { app, got } = await harness();
  const res = await post(app, '/batch', JSON.stringify([{ msg: 'a' }, { msg: 'b' }, { log: 'c', time: 1764324000.5 }]));
  assert.equal(res.statusCode, 201);
  const rs = records(got[0]!);
  assert.deepEqual(rs.map((r) => r.body), ['a', 'b', 'c']);
  assert.equal(rs[2]!.timeUnixNano, '1764324000500000000');
  await app.close();
});

test('NDJSON, as application/x-ndjson or as newline-separated JSON; blank lines skipped', async () => {
  const { app, got } = await harness();
  const body = '{"msg":"one"}\n\n{"msg":"two"}\r\n{"msg":"three"}\n';
  assert.equal((await post(app, '/nd', body, { 'content-type': 'application/x-ndjson' })).statusCode, 201);
  assert.equal((await post(app, '/nd', body, { 'content-type': 'application/json; charset=utf-8' })).statusCode, 201);
  assert.equal(got.length, 2);
  for (const t of got) assert.deepEqual(records(t).map((r) => r.body), ['one', 'two', 'three']);
  await app.close();
});

test('gzip bodies are inflated', async () => {
  const { app, got } = await harness();
  const gz = gzipSync(JSON.stringify([{ msg: 'zipped', worker_id: 'w-1' }]));
  const res = await post(app, '/gz', gz, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(res.statusCode, 201);
  assert.equal(records(got[0]!)[0]!.body, 'zipped');
  await app.close();
});

test('the tag is the path without the leading slash; "/" → http; query ignored; sanitized like Fluent Bit', async () => {
  assert.equal(tagOf('/app.log'), 'app.log');
  assert.equal(tagOf('/'), 'http');
  assert.equal(tagOf('/app.log?token=x&y=1'), 'app.log');
  assert.equal(tagOf('/kube/pod-1'), 'kube_pod_1');
  assert.equal(tagOf('/my%20app'), 'my_app');
  assert.equal(tagOf('/bad%zzescape'), 'bad_zzescape');
  const { app, got } = await harness();
  await post(app, '/', '{"msg":"x"}');
  await post(app, '/worker.stdout?x=1', '{"msg":"y"}');
  assert.deepEqual(got.map((t) => logs(t).resourceLogs[0]!.resource.attributes['fluent.tag']), ['http', 'worker.stdout']);
  await app.close();
});

test('client errors: 400 malformed / non-object / empty, 413 too large, 415 content type or encoding', async () => {
  const { app, got } = await harness({ maxBodyBytes: 1024, maxDecompressedBytes: 4096, maxRecordsPerRequest: 3 });
  const cases: [string, string | Buffer, Record<string, string>, number, string][] = [
    ['malformed', '{"msg": ', { 'content-type': 'application/json' }, 400, 'JS_BAD_REQUEST'],
    ['malformed ndjson line', '{"msg":"a"}\n{oops}\n', { 'content-type': 'application/x-ndjson' }, 400, 'JS_BAD_REQUEST'],
    ['array of non-objects', '[{"msg":"a"}, 3]', { 'content-type': 'application/json' }, 400, 'JS_BAD_REQUEST'],
    ['scalar', '"just a string"', { 'content-type': 'application/json' }, 400, 'JS_BAD_REQUEST'],
    ['ndjson array line', '[{"a":1}]\n', { 'content-type': 'application/x-ndjson' }, 400, 'JS_BAD_REQUEST'],
    ['empty', '', { 'content-type': 'application/json' }, 400, 'JS_BAD_REQUEST'],
    ['whitespace', '  \n ', { 'content-type': 'application/json' }, 400, 'JS_BAD_REQUEST'],
    ['bad gzip', Buffer.from('not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 400, 'JS_BAD_REQUEST'],
    ['too large', JSON.stringify({ msg: 'x'.repeat(2000) }), { 'content-type': 'application/json' }, 413, 'JS_PAYLOAD_TOO_LARGE'],
    ['zip bomb', gzipSync(JSON.stringify({ msg: 'x'.repeat(100_000) })), { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 413, 'JS_PAYLOAD_TOO_LARGE'],
    ['too many records', '[{},{},{},{}]', { 'content-type': 'application/json' }, 413, 'JS_PAYLOAD_TOO_LARGE'],
    ['too many lines', '{}\n{}\n{}\n{}\n', { 'content-type': 'application/x-ndjson' }, 413, 'JS_PAYLOAD_TOO_LARGE'],
    ['text/plain', 'hello', { 'content-type': 'text/plain' }, 415, 'JS_UNSUPPORTED_MEDIA_TYPE'],
    ['form', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'JS_UNSUPPORTED_MEDIA_TYPE'],
    ['no content type', '{}', {}, 415, 'JS_UNSUPPORTED_MEDIA_TYPE'],
    ['brotli', '{}', { 'content-type': 'application/json', 'content-encoding': 'br' }, 415, 'JS_UNSUPPORTED_MEDIA_TYPE'],
  ];
  for (const [name, payload, headers, status, code] of cases) {
    const res = await post(app, '/x', payload, headers);
    assert.equal(res.statusCode, status, name);
    const body = res.json() as { error: string; code: string };
    assert.equal(body.code, code, name);
    assert.equal(typeof body.error, 'string', name);
  }
  assert.equal(got.length, 0, 'nothing reaches the consumer');
  await app.close();
});

test('an empty array is accepted without calling the consumer', async () => {
  const { app, got } = await harness();
  assert.equal((await post(app, '/x', '[]')).statusCode, 201);
  assert.equal(got.length, 0);
  await app.close();
});

test('push-back from the consumer: 429 / 503 with Retry-After', async () => {
  let error: Error = new JobscopeError('JS_OVERLOADED', 'full', { retryAfter: 2 });
  const { app } = await harness({}, async () => { throw error; });
  let res = await post(app, '/x', '{"msg":"a"}');
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['retry-after'], '2');
  assert.deepEqual(res.json(), { error: 'full', code: 'JS_OVERLOADED' });
  error = new JobscopeError('JS_UNAVAILABLE', 'buffer unavailable', { retryAfter: 5 });
  res = await post(app, '/x', '{"msg":"a"}');
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '5');
  error = new Error('disk exploded at /var/secret/path');
  res = await post(app, '/x', '{"msg":"a"}');
  assert.equal(res.statusCode, 500);
  assert.deepEqual(res.json(), { error: 'internal error', code: 'JS_INTERNAL' });
  assert.equal(res.headers['retry-after'], undefined);
  await app.close();
});

test('the response waits for the consumer (ack only once durable)', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let done = false;
  const { app } = await harness({}, async () => { await gate; done = true; });
  const pending = post(app, '/x', '{"msg":"a"}');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(done, false);
  release();
  const res = await pending;
  assert.equal(res.statusCode, 201);
  assert.equal(done, true);
  await app.close();
});

test('over a real socket: Fluent Bit style POST gets 201 Created with Content-Length 0', async () => {
  const { app, got } = await harness();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${port}/fluent.bit`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ date: 1764324000.1, log: 'hello' }]),
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('content-length'), '0');
  assert.equal(await res.text(), '');
  assert.equal(records(got[0]!)[0]!.body, 'hello');
  await app.close();
});

test('bad config is refused', () => {
  assert.throws(() => fluentHttpReceiver(async () => {}, { maxBodyBytes: 0 }), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_CONFIG');
  assert.throws(() => fluentHttpReceiver(async () => {}, { maxBodyBytes: 100, maxDecompressedBytes: 10 }), /maxDecompressedBytes/);
  assert.throws(() => fluentHttpReceiver(async () => {}, { maxRecordsPerRequest: -1 }), /maxRecordsPerRequest/);
});

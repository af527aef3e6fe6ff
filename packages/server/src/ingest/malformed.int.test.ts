/**
 * A corpus of malformed requests: each gets a 4xx (never a 5xx, never a
 * hang) and the server keeps serving valid traffic afterwards.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { encodeRequest } from '@jobscope/otlp';
import { count, logRecord, logsRequest, postLogs, startTestServer, type TestServer } from '../testkit/server.js';

let t: TestServer;
before(async () => { t = await startTestServer({ maxIngestBodyBytes: 16 * 1024 * 1024 }); });
after(async () => { await t.close(); });

const PB = 'application/x-protobuf';
const JSON_T = 'application/json';
const valid = Buffer.from(encodeRequest('logs', logsRequest([logRecord({ body: 'valid', attrs: { job_id: 'job-valid' } })]), 'protobuf'));

interface Case { name: string; body: Buffer | string; type?: string; encoding?: string; path?: string; expect: number[] }

function seeded(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
}

const rnd = seeded(42);
const cases: Case[] = [
  { name: 'empty protobuf body is an empty request', body: Buffer.alloc(0), type: PB, expect: [200] },
  { name: 'invalid JSON', body: '{"resourceLogs": [', type: JSON_T, expect: [400] },
  { name: 'JSON of the wrong shape', body: '{"resourceLogs": 5}', type: JSON_T, expect: [400] },
  { name: 'attributes not an array', body: '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":{"a":1}}]}]}]}', type: JSON_T, expect: [400] },
  { name: 'time that is not a number', body: '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"abc"}]}]}]}', type: JSON_T, expect: [400] },
  { name: 'trace id of the wrong length', body: '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"abc"}]}]}]}', type: JSON_T, expect: [400] },
  { name: 'unknown content type', body: 'hello', type: 'text/plain', expect: [415] },
  { name: 'no content type', body: valid, type: '', expect: [415] },
  { name: 'unknown content encoding', body: valid, type: PB, encoding: 'br', expect: [415] },
  { name: 'gzip header on plain bytes', body: valid, type: PB, encoding: 'gzip', expect: [400] },
  { name: 'gzip bomb beyond the decompressed limit', body: gzipSync(Buffer.alloc(80 * 1024 * 1024)), type: PB, encoding: 'gzip', expect: [413] },
  { name: '20 MB body over the size limit', body: Buffer.alloc(20 * 1024 * 1024, 1), type: PB, expect: [413] },
  { name: '10 MB of garbage under the limit', body: Buffer.from(Array.from({ length: 10 * 1024 * 1024 }, () => Math.floor(rnd() * 256))), type: PB, expect: [400] },
  { name: 'invalid UTF-8 in a protobuf string', body: Buffer.from([0x0a, 0x0a, 0x1a, 0x08, 0x12, 0x06, 0x2a, 0x04, 0x0a, 0x02, 0xff, 0xfe]), type: PB, expect: [200, 400] },
  { name: 'GET on an ingest path', body: '', type: PB, path: 'GET', expect: [404, 405] },
];
for (let cut = 1; cut < valid.length; cut += Math.max(1, Math.floor(valid.length / 12))) {
  cases.push({ name: `protobuf truncated at ${cut} of ${valid.length}`, body: valid.subarray(0, cut), type: PB, expect: [200, 400] });
}
for (let i = 0; i < 20; i++) {
  const len = 1 + Math.floor(rnd() * 2000);
  cases.push({ name: `random bytes #${i}`, body: Buffer.from(Array.from({ length: len }, () => Math.floor(rnd() * 256))), type: PB, expect: [200, 400] });
}

for (const c of cases) {
  test(`malformed: ${c.name} → ${c.expect.join('/')}`, async () => {
    const headers: Record<string, string> = {};
    if (c.type) headers['content-type'] = c.type;
    if (c.encoding) headers['content-encoding'] = c.encoding;
    const res = await fetch(`${t.url}/v1/logs`, c.path === 'GET'
      ? { method: 'GET' }
      : { method: 'POST', headers, body: typeof c.body === 'string' ? c.body : new Uint8Array(c.body) });
    await res.arrayBuffer();
    assert.ok(c.expect.includes(res.status), `got ${res.status}`);
  });
}

test('a 1 MB attribute is accepted and stored cut to the attribute limit', async () => {
  const res = await postLogs(t.url, logsRequest([logRecord({ attrs: { job_id: 'job-huge-attr', big: 'y'.repeat(1024 * 1024) } })]), { encoding: 'json' });
  assert.equal(res.status, 200);
  // reported to the sender as an OTLP partial success with nothing rejected (a warning)
  const body = await res.json() as { partialSuccess?: { rejectedLogRecords?: string | number; errorMessage?: string } };
  assert.match(body.partialSuccess?.errorMessage ?? '', /1 records had values cut/);
  assert.equal(Number(body.partialSuccess?.rejectedLogRecords ?? 0), 0);
  await t.server.writer.flush();
  assert.equal(await count(t.server, "JobId = 'job-huge-attr' AND length(LogAttributes['big']) = 16384 AND LogAttributes['jobscope.truncated'] = 'true'"), 1);
});

test('after the whole corpus the server still ingests and answers', async () => {
  const res = await postLogs(t.url, logsRequest([logRecord({ attrs: { job_id: 'job-after' } })]));
  assert.equal(res.status, 200);
  await t.server.writer.flush();
  assert.equal(await count(t.server, "JobId = 'job-after'"), 1);
  assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
});

/** Batch-id idempotency, overload answers and the durability contract of the write path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count, logRecord, logsRequest, postLogs, startTestServer } from '../testkit/server.js';

test('the same batch id sent twice (and concurrently) is stored once', async () => {
  const t = await startTestServer();
  try {
    const req = logsRequest([logRecord({ attrs: { job_id: 'job-dup', n: 1 } }), logRecord({ attrs: { job_id: 'job-dup', n: 2 } })]);
    const r1 = await postLogs(t.url, req, { batchId: 'batch-A' });
    assert.equal(r1.status, 200);
    const again = await Promise.all([1, 2, 3].map(() => postLogs(t.url, req, { batchId: 'batch-A' })));
    assert.deepEqual(again.map((r) => r.status), [200, 200, 200]);
    const racing = await Promise.all([1, 2, 3].map(() => postLogs(t.url, req, { batchId: 'batch-B' })));
    assert.deepEqual(racing.map((r) => r.status), [200, 200, 200]);
    await t.server.writer.flush();
    assert.equal(await count(t.server, "JobId = 'job-dup'"), 4);
    // without a batch id, a resend is a new batch
    await postLogs(t.url, req);
    await t.server.writer.flush();
    assert.equal(await count(t.server, "JobId = 'job-dup'"), 6);
  } finally {
    await t.close();
  }
});

test('flush() racing the background flusher returns only when everything accepted is queryable', async () => {
  const t = await startTestServer();
  try {
    const sends: Promise<Response>[] = [];
    for (let i = 0; i < 40; i++) {
      sends.push(postLogs(t.url, logsRequest(Array.from({ length: 250 }, (_, j) => logRecord({ attrs: { job_id: 'job-race', i, j } })))));
      if (i % 5 === 0) void t.server.writer.flush();
    }
    assert.ok((await Promise.all(sends)).every((r) => r.status === 200));
    await Promise.all([t.server.writer.flush(), t.server.writer.flush()]);
    assert.equal(await count(t.server, "JobId = 'job-race'"), 40 * 250);
    assert.equal(t.server.writer.stats().pendingRecords, 0);
    assert.equal(t.server.writer.stats().pendingRows, 0);
  } finally {
    await t.close();
  }
});

test('batch ids are remembered across a restart', async () => {
  const t = await startTestServer();
  const dir = t.dir;
  try {
    const req = logsRequest([logRecord({ attrs: { job_id: 'job-restart' } })]);
    assert.equal((await postLogs(t.url, req, { batchId: 'batch-R' })).status, 200);
    await t.server.close();
    const t2 = await startTestServer({}, dir);
    assert.equal((await postLogs(t2.url, req, { batchId: 'batch-R' })).status, 200);
    await t2.server.writer.flush();
    assert.equal(await count(t2.server, "JobId = 'job-restart'"), 1);
    await t2.server.close();
  } finally {
    await t.close();
  }
});

test('beyond the pending bound the server answers 429 with Retry-After, and recovers', async () => {
  const t = await startTestServer({ maxPendingBytes: 4096 });
  try {
    const big = logsRequest(Array.from({ length: 50 }, (_, i) => logRecord({ body: 'x'.repeat(200), attrs: { job_id: 'job-big', i } })));
    const r = await postLogs(t.url, big);
    assert.equal(r.status, 429);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    assert.equal(t.server.writer.stats().rejectedOverload, 1);
    const small = logsRequest([logRecord({ attrs: { job_id: 'job-small' } })]);
    assert.equal((await postLogs(t.url, small)).status, 200);
    await t.server.writer.flush();
    assert.equal(await count(t.server, "JobId = 'job-big'"), 0);
    assert.equal(await count(t.server, "JobId = 'job-small'"), 1);
  } finally {
    await t.close();
  }
});

test('the pending bound also counts rows', async () => {
  const t = await startTestServer({ maxPendingRows: 10 });
  try {
    const many = logsRequest(Array.from({ length: 11 }, (_, i) => logRecord({ attrs: { job_id: 'job-rows', i } })));
    assert.equal((await postLogs(t.url, many)).status, 429);
    const ok = logsRequest(Array.from({ length: 10 }, (_, i) => logRecord({ attrs: { job_id: 'job-rows', i } })));
    assert.equal((await postLogs(t.url, ok)).status, 200);
  } finally {
    await t.close();
  }
});

test('acknowledged data survives a restart before it was flushed (write-ahead log replay)', async () => {
  const t = await startTestServer();
  const dir = t.dir;
  try {
    const req = logsRequest(Array.from({ length: 100 }, (_, i) => logRecord({ attrs: { job_id: 'job-wal', i } })));
    assert.equal((await postLogs(t.url, req, { batchId: 'wal-1' })).status, 200);
    // The flusher runs once a second: the record is acknowledged but only in the WAL.
    assert.equal(t.server.writer.stats().pendingRecords, 1);
    assert.equal(await count(t.server, "JobId = 'job-wal'"), 0);
    // Stop without letting the flusher run: close the HTTP side and the WAL only.
    await t.server.app.close();
    // Reopening replays what the WAL holds and has not been acknowledged by storage.
    await t.server.writer.close(0).catch(() => {});
    await t.server.store.close();
    const t2 = await startTestServer({}, dir);
    await t2.server.writer.flush();
    assert.equal(await count(t2.server, "JobId = 'job-wal'"), 100);
    await t2.server.close();
  } finally {
    await t.close();
  }
});

test('a token protects ingest and queries; /healthz stays open', async () => {
  const t = await startTestServer({ token: 'secret-token-123' });
  try {
    const req = logsRequest([logRecord({ attrs: { job_id: 'job-auth' } })]);
    assert.equal((await postLogs(t.url, req)).status, 401);
    assert.equal((await postLogs(t.url, req, { token: 'wrong-token-123' })).status, 401);
    assert.equal((await postLogs(t.url, req, { token: 'secret-token-123' })).status, 200);
    assert.equal((await fetch(`${t.url}/api/logs`)).status, 401);
    assert.equal((await fetch(`${t.url}/api/logs`, { headers: { authorization: 'Bearer secret-token-123' } })).status, 200);
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
  } finally {
    await t.close();
  }
});

test('a non-loopback address without a token is refused unless --insecure', async () => {
  await assert.rejects(startTestServer({ host: '0.0.0.0' }), /refusing to listen on 0\.0\.0\.0 without a token/);
});

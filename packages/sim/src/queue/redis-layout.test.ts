/**
 * RedisQueue's keys as the contract lays them out, read back through a plain
 * ioredis client: hash job:{id}, sorted set jobs:pending and its scores,
 * the capped finished lists, the progress channel, keyPrefix, and the claim
 * dropping a pending id whose hash is gone. Also: no Redis → JS_UNAVAILABLE.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { JobscopeError } from '@jobscope/core';
import { createRedisQueue, redisServerAvailable, startRedisServer, type JobQueue, type RedisServerHandle } from './index.js';
import { FINISHED_CAP } from './job-record.js';

const worker = { machineId: 'm1', workerId: 'w1', serviceTypes: ['comfyui', 's'] };
const RECORD_FIELDS = [
  'id', 'service_type', 'model', 'payload', 'priority', 'max_retries', 'attempts', 'status', 'webhook_url', 'traceparent',
  'tracestate', 'last_attempt', 'submitted_at', 'run_at', 'queued_at', 'claimed_at', 'started_at', 'finished_at', 'machine_id', 'worker_id',
  'progress', 'error', 'error_type', 'result',
].sort();

describe('redis layout', { skip: redisServerAvailable() ? false : 'redis-server is not on PATH' }, () => {
  let server: RedisServerHandle;
  let redis: Redis;
  let queue: JobQueue;

  before(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    queue = await createRedisQueue(server.url);
  });
  after(async () => {
    await queue?.close();
    await redis?.quit();
    await server?.stop();
  });

  test('a delayed job: status pending in job:{id}, in jobs:scheduled scored by run_at, not in jobs:pending', async () => {
    await redis.flushdb();
    const r = await queue.submit({ service_type: 'comfyui', delay_ms: 60_000 });
    assert.equal((await redis.hgetall(`job:${r.id}`)).status, 'pending');
    assert.deepEqual(await redis.zrange('jobs:scheduled', 0, -1, 'WITHSCORES'), [r.id, String(r.run_at)]);
    assert.equal(await redis.zcard('jobs:pending'), 0);
    await redis.zadd('jobs:scheduled', '1', r.id); // due now
    const [p] = await queue.promoteDue();
    assert.equal(p?.id, r.id);
    assert.equal(await redis.zcard('jobs:scheduled'), 0);
    assert.deepEqual(await redis.zrange('jobs:pending', 0, -1, 'WITHSCORES'), [r.id, String(p!.queued_at)]);
  });

  test('job:{id} holds every record field; jobs:pending scores -priority*1e13 + queued_at', async () => {
    await redis.flushdb();
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const r = await queue.submit({ service_type: 'comfyui', priority: 2, payload: { steps: 20 }, traceparent: tp });
    const h = await redis.hgetall(`job:${r.id}`);
    assert.deepEqual(Object.keys(h).sort(), RECORD_FIELDS);
    assert.equal(h.id, r.id);
    assert.equal(h.status, 'queued');
    assert.equal(h.priority, '2');
    assert.equal(h.max_retries, '3');
    assert.equal(h.attempts, '0');
    assert.equal(h.payload, '{"steps":20}');
    assert.equal(h.result, 'null');
    assert.equal(h.traceparent, tp);
    assert.equal(h.queued_at, String(r.queued_at));
    assert.deepEqual(await redis.zrange('jobs:pending', 0, -1, 'WITHSCORES'), [r.id, String(-2e13 + r.queued_at)]);

    const c = await queue.claim(worker);
    assert.equal(c?.id, r.id);
    assert.deepEqual(await redis.zrange('jobs:pending', 0, -1), []);
    const seen = await redis.hgetall('workers:capabilities');
    assert.deepEqual(Object.keys(seen).sort(), [...worker.serviceTypes].sort());
    assert.ok(Math.abs(Number(seen[worker.serviceTypes[0]!]) - Date.now()) < 5000);
    const claimed = await redis.hgetall(`job:${r.id}`);
    assert.equal(claimed.status, 'assigned');
    assert.equal(claimed.attempts, '1');
    assert.equal(claimed.machine_id, 'm1');
    assert.equal(claimed.worker_id, 'w1');
    assert.equal(claimed.claimed_at, String(c?.claimed_at));

    await queue.start(r.id);
    const done = await queue.complete(r.id, { images: 1 });
    const finished = await redis.hgetall(`job:${r.id}`);
    assert.equal(finished.status, 'completed');
    assert.equal(finished.result, '{"images":1}');
    assert.equal(finished.finished_at, String(done.finished_at));
    assert.deepEqual(await redis.lrange('jobs:completed', 0, -1), [r.id]);
  });

  test('a retry puts the job back with an exact score; final outcomes land in jobs:failed / jobs:cancelled', async () => {
    await redis.flushdb();
    const r = await queue.submit({ service_type: 's', priority: 900, max_retries: 1 });
    assert.equal(await redis.zscore('jobs:pending', r.id), String(-900e13 + r.queued_at));
    await queue.claim(worker);
    const { record } = await queue.fail(r.id, { message: 'oom', errorType: 'memory', retryable: true });
    assert.equal(record.status, 'queued');
    assert.ok(record.queued_at >= r.queued_at);
    assert.equal(await redis.zscore('jobs:pending', r.id), String(-900e13 + record.queued_at));
    assert.equal(await redis.hget(`job:${r.id}`, 'error_type'), 'memory');
    await queue.claim(worker);
    await queue.fail(r.id, { message: 'oom', errorType: 'memory', retryable: true });
    assert.equal(await redis.hget(`job:${r.id}`, 'status'), 'failed');
    assert.deepEqual(await redis.lrange('jobs:failed', 0, -1), [r.id]);
    assert.equal(await redis.zcard('jobs:pending'), 0);

    const neg = await queue.submit({ service_type: 's', priority: -900 });
    assert.equal(await redis.zscore('jobs:pending', neg.id), String(900e13 + neg.queued_at));
    assert.equal(await queue.cancel(neg.id), true);
    assert.equal(await redis.zcard('jobs:pending'), 0);
    assert.equal(await redis.hget(`job:${neg.id}`, 'status'), 'cancelled');
    assert.deepEqual(await redis.lrange('jobs:cancelled', 0, -1), [neg.id]);
  });

  test('finished lists are capped; the hash of a record falling off is deleted', async () => {
    await redis.flushdb();
    const old = await queue.submit({ service_type: 's' });
    await queue.claim(worker);
    await queue.complete(old.id, {});
    // Fill the list up to the cap with older-looking ids (LPUSH puts them in front of the real one).
    await redis.lpush('jobs:completed', ...Array.from({ length: FINISHED_CAP - 1 }, (_, i) => `filler-${i}`));
    const next = await queue.submit({ service_type: 's' });
    await queue.claim(worker);
    await queue.complete(next.id, {});
    assert.equal(await redis.llen('jobs:completed'), FINISHED_CAP);
    assert.equal(await redis.lindex('jobs:completed', 0), next.id);
    assert.equal(await redis.exists(`job:${old.id}`), 0);
    assert.equal(await queue.get(old.id), null);
    assert.equal((await queue.get(next.id))?.status, 'completed');
  });

  test('progress: HSET progress and PUBLISH jobs:progress', async () => {
    await redis.flushdb();
    const r = await queue.submit({ service_type: 's' });
    await queue.claim(worker);
    const sub = redis.duplicate();
    try {
      await sub.subscribe('jobs:progress');
      const got = new Promise<string>((resolve) => sub.once('message', (_ch: string, text: string) => resolve(text)));
      await queue.progress({ jobId: r.id, progress: 33.5, step: 1, totalSteps: 3 });
      assert.deepEqual(JSON.parse(await got), { jobId: r.id, progress: 33.5, step: 1, totalSteps: 3 });
      assert.equal(await redis.hget(`job:${r.id}`, 'progress'), '33.5');
    } finally {
      await sub.quit();
    }
  });

  test('keyPrefix puts every key and the channel under it', async () => {
    await redis.flushdb();
    const prefixed = await createRedisQueue(server.url, { keyPrefix: 'sim7:' });
    try {
      const r = await prefixed.submit({ service_type: 's' });
      assert.equal(await redis.exists(`sim7:job:${r.id}`), 1);
      assert.equal(await redis.zcard('sim7:jobs:pending'), 1);
      assert.equal(await redis.exists(`job:${r.id}`), 0);
      assert.equal(await queue.depth(), 0);
      assert.equal(await queue.claim(worker), null);
      const c = await prefixed.claim(worker);
      assert.equal(c?.id, r.id);
      const sub = redis.duplicate();
      try {
        await sub.subscribe('sim7:jobs:progress');
        const got = new Promise<string>((resolve) => sub.once('message', (_ch: string, text: string) => resolve(text)));
        await prefixed.progress({ jobId: r.id, progress: 5 });
        assert.equal(JSON.parse(await got).progress, 5);
      } finally {
        await sub.quit();
      }
      await prefixed.complete(r.id, {});
      assert.deepEqual(await redis.lrange('sim7:jobs:completed', 0, -1), [r.id]);
    } finally {
      await prefixed.close();
    }
  });

  test('claim drops a pending id whose hash is gone and takes the next job', async () => {
    await redis.flushdb();
    await redis.zadd('jobs:pending', '-1e15', 'job-ghost');
    const r = await queue.submit({ service_type: 's' });
    assert.equal((await queue.claim(worker))?.id, r.id);
    assert.equal(await redis.zcard('jobs:pending'), 0);
  });

  test('a damaged hash reads back with defaults, not a crash', async () => {
    await redis.flushdb();
    await redis.hset('job:job-bad', { id: 'job-bad', status: 'bogus', priority: 'x', payload: '{not json', result: '[1]' });
    const r = await queue.get('job-bad');
    assert.equal(r?.status, 'queued');
    assert.equal(r?.priority, 0);
    assert.deepEqual(r?.payload, {});
    assert.equal(r?.result, null);
  });
});

test('no Redis at the url: JS_UNAVAILABLE', async () => {
  await assert.rejects(createRedisQueue('redis://127.0.0.1:1'), (e: unknown) => {
    assert.ok(e instanceof JobscopeError);
    assert.equal(e.code, 'JS_UNAVAILABLE');
    assert.match(e.message, /cannot connect to Redis at redis:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/);
    return true;
  });
  await assert.rejects(createRedisQueue(''), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_BAD_REQUEST');
  await assert.rejects(createRedisQueue('not a url'), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_BAD_REQUEST' && /invalid redis url/.test(e.message));
});

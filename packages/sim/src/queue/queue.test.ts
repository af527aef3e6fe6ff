/**
 * The JobQueue contract, run against both implementations (a table of
 * factories: real Redis through a private redis-server, and memory), so the
 * two cannot drift: ordering, claim filtering and atomicity, statuses,
 * retries, cancel, progress pub/sub, depth and bad input.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError, type ErrorCode } from '@jobscope/core';
import {
  createMemoryQueue, createRedisQueue, redisServerAvailable, startRedisServer,
  type JobQueue, type ProgressMessage, type RedisServerHandle, type WorkerIdentity,
} from './index.js';
import { CLAIM_SCAN_LIMIT, FINISHED_CAP } from './job-record.js';

interface Harness {
  queue: JobQueue;
  /** Another handle on the same queue (a separate connection for Redis). */
  another(): Promise<JobQueue>;
  close(): Promise<void>;
}
interface Factory {
  name: 'redis' | 'memory';
  skip: string | false;
  open(): Promise<Harness>;
}

let server: RedisServerHandle | undefined;
let tests = 0;
const HAVE_REDIS = redisServerAvailable();

const factories: Factory[] = [
  {
    name: 'redis',
    skip: HAVE_REDIS ? false : 'redis-server is not on PATH',
    async open() {
      if (!server) throw new Error('redis-server did not start');
      const url = server.url;
      const keyPrefix = `t${++tests}:`; // every test on its own keys
      const opened: JobQueue[] = [];
      const another = async (): Promise<JobQueue> => {
        const q = await createRedisQueue(url, { keyPrefix });
        opened.push(q);
        return q;
      };
      const queue = await another();
      return { queue, another, close: async () => void (await Promise.all(opened.map((q) => q.close()))) };
    },
  },
  {
    name: 'memory',
    skip: false,
    async open() {
      const queue = createMemoryQueue();
      return { queue, another: async () => queue, close: () => queue.close() };
    },
  },
];

before(async () => {
  if (HAVE_REDIS) server = await startRedisServer();
});
after(async () => {
  await server?.stop();
});

const worker = (serviceTypes: string[], id = 'w1'): WorkerIdentity => ({ machineId: 'm1', workerId: id, serviceTypes });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const isJs = (code: ErrorCode, text?: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof JobscopeError, `expected a JobscopeError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (text) assert.match(e.message, text);
  return true;
};

const bad = (p: Promise<unknown>, text: RegExp): Promise<void> => assert.rejects(p, isJs('JS_BAD_REQUEST', text));

/** Subscribes (resolving once subscribed); `done` resolves with the first `n` messages, or rejects after `ms`. */
async function collect(queue: JobQueue, n: number, ms = 3000): Promise<{ msgs: ProgressMessage[]; done: Promise<ProgressMessage[]>; stop: () => Promise<void> }> {
  const msgs: ProgressMessage[] = [];
  let resolve: (m: ProgressMessage[]) => void = () => {};
  const done = new Promise<ProgressMessage[]>((res, rej) => {
    resolve = res;
    setTimeout(() => rej(new Error(`got ${msgs.length} of ${n} progress messages`)), ms).unref();
  });
  const stop = await queue.onProgress((m) => {
    msgs.push(m);
    if (msgs.length === n) resolve(msgs);
  });
  return { msgs, done, stop };
}

for (const f of factories) {
  describe(`${f.name} queue`, { skip: f.skip }, () => {
    const withQueue = (name: string, fn: (h: Harness) => Promise<void>): void => {
      test(name, async () => {
        const h = await f.open();
        try {
          await fn(h);
        } finally {
          await h.close();
        }
      });
    };

    withQueue('kind', async ({ queue }) => {
      assert.equal(queue.kind, f.name);
    });

    withQueue('submit then get: the stored record with defaults', async ({ queue }) => {
      const t0 = Date.now();
      const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const r = await queue.submit({ service_type: 'comfyui', model: 'sdxl', payload: { prompt: 'a cat', n: 2, nested: { x: [1, 2] } }, traceparent: tp, tracestate: 'k=v', webhook_url: 'http://127.0.0.1:1/hook' });
      assert.match(r.id, /^job-[0-9a-z]+-[0-9a-z]{10}$/);
      assert.equal(r.status, 'queued');
      assert.equal(r.priority, 0);
      assert.equal(r.max_retries, 3);
      assert.equal(r.attempts, 0);
      assert.ok(r.submitted_at >= t0 && r.submitted_at <= Date.now());
      assert.equal(r.queued_at, r.submitted_at);
      const got = await queue.get(r.id);
      assert.deepEqual(got, r);
      assert.deepEqual(got, {
        id: r.id, service_type: 'comfyui', model: 'sdxl', payload: { prompt: 'a cat', n: 2, nested: { x: [1, 2] } },
        priority: 0, max_retries: 3, attempts: 0, status: 'queued', webhook_url: 'http://127.0.0.1:1/hook',
        traceparent: tp, tracestate: 'k=v', last_attempt: '', submitted_at: r.submitted_at, run_at: r.submitted_at, queued_at: r.submitted_at, claimed_at: 0,
        started_at: 0, finished_at: 0, machine_id: '', worker_id: '', progress: 0, error: '', error_type: '', result: null,
      });
      assert.equal(await queue.get('job-nope-0000000000'), null);
      assert.equal(await queue.depth(), 1);
      const ids = new Set((await Promise.all(Array.from({ length: 20 }, () => queue.submit({ service_type: 'x' })))).map((j) => j.id));
      assert.equal(ids.size, 20);
    });

    withQueue('claim order: higher priority first, then older first', async ({ queue }) => {
      const ids: Record<string, string> = {};
      for (const [name, priority] of [['low-old', 0], ['high-old', 5], ['neg', -3], ['low-new', 0], ['high-new', 5], ['top', 9]] as const) {
        ids[name] = (await queue.submit({ service_type: 'a1111', priority })).id;
        await sleep(3); // distinct queued_at
      }
      const order: string[] = [];
      for (let j = await queue.claim(worker(['a1111'])); j; j = await queue.claim(worker(['a1111']))) {
        order.push(Object.keys(ids).find((k) => ids[k] === j.id) ?? j.id);
      }
      assert.deepEqual(order, ['top', 'high-old', 'high-new', 'low-old', 'low-new', 'neg']);
    });

    withQueue('a retried job goes behind jobs of its priority queued before the retry', async ({ queue }) => {
      const a = await queue.submit({ service_type: 's' });
      await sleep(3);
      const b = await queue.submit({ service_type: 's' });
      assert.equal((await queue.claim(worker(['s'])))?.id, a.id);
      await sleep(3);
      const { retried } = await queue.fail(a.id, { message: 'boom', errorType: 'network', retryable: true });
      assert.equal(retried, true);
      assert.equal((await queue.claim(worker(['s'])))?.id, b.id);
      assert.equal((await queue.claim(worker(['s'])))?.id, a.id);
    });

    withQueue('a worker only claims service types it runs', async ({ queue }) => {
      const openai = await queue.submit({ service_type: 'openai-text', priority: 5 });
      const comfy = await queue.submit({ service_type: 'comfyui' });
      const j = await queue.claim(worker(['comfyui', 'simulation']));
      assert.equal(j?.id, comfy.id);
      assert.equal(await queue.claim(worker(['comfyui'])), null);
      assert.equal(await queue.claim(worker([])), null);
      assert.equal(await queue.depth(), 1);
      assert.equal((await queue.claim(worker(['a1111', 'openai-text'])))?.id, openai.id);
      assert.equal(await queue.depth(), 0);
    });

    withQueue(`a claim looks at the first ${CLAIM_SCAN_LIMIT} pending jobs only`, async ({ queue }) => {
      await Promise.all(Array.from({ length: CLAIM_SCAN_LIMIT }, () => queue.submit({ service_type: 'openai-text', priority: 1 })));
      const mine = await queue.submit({ service_type: 'comfyui' });
      assert.equal(await queue.claim(worker(['comfyui'])), null);
      assert.ok(await queue.claim(worker(['openai-text'])));
      assert.equal((await queue.claim(worker(['comfyui'])))?.id, mine.id);
    });

    withQueue('concurrent claims never hand out the same job', async (h) => {
      const handles = [h.queue, await h.another(), await h.another(), await h.another()];
      const submitted = await Promise.all(Array.from({ length: 10 }, (_, i) => h.queue.submit({ service_type: i % 2 ? 'x' : 'y', priority: i % 3 })));
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => handles[i % handles.length].claim(worker(['x', 'y'], `w${i}`))));
      const got = claims.filter((c) => c !== null);
      assert.equal(got.length, 10);
      assert.equal(new Set(got.map((c) => c.id)).size, 10);
      assert.deepEqual(new Set(got.map((c) => c.id)), new Set(submitted.map((s) => s.id)));
      assert.ok(got.every((c) => c.attempts === 1 && c.status === 'assigned'));
      assert.equal(await h.queue.depth(), 0);
    });

    withQueue('statuses: queued → assigned → accepted → in_progress → completed', async ({ queue }) => {
      const r = await queue.submit({ service_type: 'simulation', payload: { iterations: 3 } });
      assert.equal((await queue.get(r.id))?.status, 'queued');
      const t0 = Date.now();
      const c = await queue.claim({ machineId: 'm-7', workerId: 'm-7-w2', serviceTypes: ['simulation'] });
      assert.ok(c);
      assert.equal(c.status, 'assigned');
      assert.equal(c.attempts, 1);
      assert.equal(c.machine_id, 'm-7');
      assert.equal(c.worker_id, 'm-7-w2');
      assert.ok(c.claimed_at >= t0);
      assert.deepEqual(await queue.get(r.id), c);
      await queue.accept(r.id);
      assert.equal((await queue.get(r.id))?.status, 'accepted');
      await assert.rejects(queue.accept(r.id), isJs('JS_BAD_REQUEST', /accepted/), 'accepted once');
      await queue.start(r.id);
      const s = await queue.get(r.id);
      assert.equal(s?.status, 'in_progress');
      assert.ok((s?.started_at ?? 0) >= c.claimed_at);
      await queue.progress({ jobId: r.id, progress: 40, step: 2, totalSteps: 5 });
      assert.equal((await queue.get(r.id))?.progress, 40);
      const done = await queue.complete(r.id, { output_size: 1234, url: 'mem://x' });
      assert.equal(done.status, 'completed');
      assert.equal(done.progress, 100);
      assert.deepEqual(done.result, { output_size: 1234, url: 'mem://x' });
      assert.ok(done.finished_at >= (s?.started_at ?? 0));
      assert.deepEqual(await queue.get(r.id), done);
      // Finished: no further steps.
      await assert.rejects(queue.start(r.id), isJs('JS_BAD_REQUEST', /completed/));
      await assert.rejects(queue.complete(r.id, {}), isJs('JS_BAD_REQUEST', /completed/));
      await assert.rejects(queue.fail(r.id, { message: 'x', errorType: 'unknown', retryable: true }), isJs('JS_BAD_REQUEST'));
      await assert.rejects(queue.progress({ jobId: r.id, progress: 1 }), isJs('JS_BAD_REQUEST'));
    });

    withQueue('complete straight from assigned (no start) is allowed', async ({ queue }) => {
      const r = await queue.submit({ service_type: 's' });
      await queue.claim(worker(['s']));
      assert.equal((await queue.complete(r.id, {})).status, 'completed');
    });

    withQueue('retryable failures re-queue until attempts = max_retries + 1, then failed', async ({ queue }) => {
      const spanOfAttempt = (n: number): string => `00-0af7651916cd43dd8448eb211c80319c-${String(n).padStart(16, 'a')}-01`;
      await bad(queue.fail('job-x', { message: 'x', errorType: 'unknown', retryable: true, lastAttempt: 'nope' }), /lastAttempt/);
      const r = await queue.submit({ service_type: 'openai-text', max_retries: 2, priority: 4 });
      for (let attempt = 1; attempt <= 3; attempt++) {
        const c = await queue.claim(worker(['openai-text']));
        assert.equal(c?.id, r.id);
        assert.equal(c?.attempts, attempt);
        // the previous attempt's span context comes back with the claim (the next attempt links to it)
        assert.equal(c?.last_attempt, attempt === 1 ? '' : spanOfAttempt(attempt - 1));
        await queue.start(r.id);
        await queue.progress({ jobId: r.id, progress: 10 });
        const { record, retried } = await queue.fail(r.id, { message: `rate limited #${attempt}`, errorType: 'rate_limit', retryable: true, lastAttempt: spanOfAttempt(attempt) });
        assert.equal(record.last_attempt, spanOfAttempt(attempt));
        assert.equal(record.attempts, attempt);
        assert.equal(record.error, `rate limited #${attempt}`);
        assert.equal(record.error_type, 'rate_limit');
        if (attempt < 3) {
          assert.equal(retried, true);
          assert.equal(record.status, 'queued');
          assert.equal(record.finished_at, 0);
          assert.equal(record.progress, 0);
          assert.equal(record.worker_id, '');
          assert.ok(record.queued_at >= r.queued_at);
          assert.equal(await queue.depth(), 1);
        } else {
          assert.equal(retried, false);
          assert.equal(record.status, 'failed');
          assert.ok(record.finished_at > 0);
          assert.equal(await queue.depth(), 0);
        }
        assert.deepEqual(await queue.get(r.id), record);
      }
      assert.equal(await queue.claim(worker(['openai-text'])), null);
    });

    withQueue('a non-retryable failure fails at once', async ({ queue }) => {
      const r = await queue.submit({ service_type: 'comfyui', max_retries: 5 });
      await queue.claim(worker(['comfyui']));
      const { record, retried } = await queue.fail(r.id, { message: 'bad workflow', errorType: 'validation', retryable: false });
      assert.equal(retried, false);
      assert.equal(record.status, 'failed');
      assert.equal(record.attempts, 1);
      assert.equal(record.error_type, 'validation');
      assert.equal(await queue.depth(), 0);
    });

    withQueue('max_retries 0: the first failure is final', async ({ queue }) => {
      const r = await queue.submit({ service_type: 's', max_retries: 0 });
      assert.equal(r.max_retries, 0);
      await queue.claim(worker(['s']));
      const { record, retried } = await queue.fail(r.id, { message: 'timed out after 120000 ms', errorType: 'timeout', retryable: true });
      assert.equal(retried, false);
      assert.equal(record.status, 'timeout', 'a last attempt that timed out ends the job as timeout');
      assert.equal(record.attempts, 1);
      const other = await queue.submit({ service_type: 's', max_retries: 0 });
      await queue.claim(worker(['s']));
      const f = await queue.fail(other.id, { message: 'ECONNRESET', errorType: 'network', retryable: true });
      assert.equal(f.record.status, 'failed');
    });

    withQueue('cancel: queued, assigned and in_progress jobs; finished ones answer false', async ({ queue }) => {
      const q = await queue.submit({ service_type: 's' });
      assert.equal(await queue.cancel(q.id), true);
      const qr = await queue.get(q.id);
      assert.equal(qr?.status, 'cancelled');
      assert.ok((qr?.finished_at ?? 0) > 0);
      assert.equal(await queue.depth(), 0);
      assert.equal(await queue.claim(worker(['s'])), null);
      assert.equal(await queue.cancel(q.id), false); // already cancelled

      const run = await queue.submit({ service_type: 's' });
      await queue.claim(worker(['s']));
      await queue.start(run.id);
      assert.equal(await queue.cancel(run.id), true);
      // The worker learns on its next step.
      await assert.rejects(queue.complete(run.id, {}), isJs('JS_BAD_REQUEST', /cancelled/));
      await assert.rejects(queue.progress({ jobId: run.id, progress: 5 }), isJs('JS_BAD_REQUEST', /cancelled/));
      assert.equal((await queue.get(run.id))?.status, 'cancelled');

      const done = await queue.submit({ service_type: 's' });
      await queue.claim(worker(['s']));
      await queue.complete(done.id, {});
      assert.equal(await queue.cancel(done.id), false);
      assert.equal((await queue.get(done.id))?.status, 'completed');

      const failed = await queue.submit({ service_type: 's', max_retries: 0 });
      await queue.claim(worker(['s']));
      await queue.fail(failed.id, { message: 'x', errorType: 'model', retryable: false });
      assert.equal(await queue.cancel(failed.id), false);

      await assert.rejects(queue.cancel('job-missing-0000000000'), isJs('JS_NOT_FOUND'));
    });

    withQueue('progress reaches onProgress subscribers (from another connection) until they unsubscribe', async (h) => {
      const worker2 = await h.another();
      const r = await h.queue.submit({ service_type: 's' });
      await h.queue.claim(worker(['s']));
      const [a, b] = await Promise.all([collect(h.queue, 2), collect(h.queue, 2)]);
      await worker2.progress({ jobId: r.id, progress: 25, step: 1, totalSteps: 4, message: 'sampling' });
      await worker2.progress({ jobId: r.id, progress: 50 });
      await Promise.all([a.done, b.done]);
      const expected = [{ jobId: r.id, progress: 25, step: 1, totalSteps: 4, message: 'sampling' }, { jobId: r.id, progress: 50 }];
      assert.deepEqual(a.msgs, expected);
      assert.deepEqual(b.msgs, expected);
      assert.equal((await h.queue.get(r.id))?.progress, 50);
      await a.stop();
      await b.stop();
      // A new subscriber after the others left still gets messages, until it unsubscribes too.
      const late: ProgressMessage[] = [];
      const unsubscribeLate = await h.queue.onProgress((m) => late.push(m));
      await worker2.progress({ jobId: r.id, progress: 75 });
      for (let i = 0; i < 100 && late.length === 0; i++) await sleep(10);
      assert.deepEqual(late, [{ jobId: r.id, progress: 75 }]);
      await unsubscribeLate();
      await worker2.progress({ jobId: r.id, progress: 80 });
      await sleep(100);
      assert.equal(late.length, 1);
      assert.equal(a.msgs.length, 2);
      assert.equal(b.msgs.length, 2);
    });

    withQueue('a subscriber that throws does not stop the others', async ({ queue }) => {
      const r = await queue.submit({ service_type: 's' });
      await queue.claim(worker(['s']));
      const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
      await queue.onProgress(() => {
        throw new Error('subscriber bug');
      });
      const good = await collect(queue, 1);
      await queue.progress({ jobId: r.id, progress: 1 });
      assert.equal((await good.done)[0].progress, 1);
      assert.match((await warned).message, /subscriber bug/);
    });

    withQueue('depth counts jobs in jobs:pending', async ({ queue }) => {
      assert.equal(await queue.depth(), 0);
      const jobs = await Promise.all([1, 2, 3].map(() => queue.submit({ service_type: 's' })));
      assert.equal(await queue.depth(), 3);
      const claimed = await queue.claim(worker(['s']));
      assert.equal(await queue.depth(), 2);
      await queue.cancel(jobs.find((j) => j.id !== claimed?.id)?.id ?? '');
      assert.equal(await queue.depth(), 1);
    });

    withQueue('bad input is a JobscopeError with a clear message', async ({ queue }) => {
      const bad = (p: Promise<unknown>, text: RegExp) => assert.rejects(p, isJs('JS_BAD_REQUEST', text));
      await bad(queue.submit({ service_type: '' }), /service_type/);
      await bad(queue.submit({ service_type: '   ' }), /service_type/);
      await bad(queue.submit({} as never), /service_type/);
      await bad(queue.submit(null as never), /spec/);
      await bad(queue.submit({ service_type: 's', max_retries: -1 }), /max_retries/);
      await bad(queue.submit({ service_type: 's', max_retries: 1.5 }), /max_retries/);
      await bad(queue.submit({ service_type: 's', priority: Number.NaN }), /priority/);
      await bad(queue.submit({ service_type: 's', priority: 10_000 }), /priority/);
      await bad(queue.submit({ service_type: 's', payload: [1] as never }), /payload/);
      await bad(queue.submit({ service_type: 's', payload: { n: 1n } }), /payload/);
      await bad(queue.submit({ service_type: 's', traceparent: 'nope' }), /traceparent/);
      await bad(queue.submit({ service_type: 's', model: 3 as never }), /model/);
      assert.equal(await queue.depth(), 0);

      const nf = (p: Promise<unknown>) => assert.rejects(p, isJs('JS_NOT_FOUND', /job job-missing-1 not found/));
      await nf(queue.start('job-missing-1'));
      await nf(queue.complete('job-missing-1', {}));
      await nf(queue.fail('job-missing-1', { message: 'x', errorType: 'unknown', retryable: true }));
      await nf(queue.progress({ jobId: 'job-missing-1', progress: 1 }));
      await nf(queue.cancel('job-missing-1'));
      await bad(queue.start(''), /job id/);
      await bad(queue.get(42 as never), /job id/);

      const r = await queue.submit({ service_type: 's' });
      await bad(queue.start(r.id), /cannot start job .* it is queued/);
      await bad(queue.complete(r.id, {}), /cannot complete job .* it is queued/);
      await bad(queue.progress({ jobId: r.id, progress: 1 }), /queued/);
      await bad(queue.claim({ machineId: '', workerId: 'w', serviceTypes: ['s'] }), /machineId/);
      await bad(queue.claim({ machineId: 'm', workerId: 'w', serviceTypes: 's' as never }), /serviceTypes/);
      await queue.claim(worker(['s']));
      await queue.start(r.id);
      await bad(queue.start(r.id), /in_progress/);
      await bad(queue.progress({ jobId: r.id, progress: 150 }), /progress/);
      await bad(queue.progress({ jobId: r.id, progress: 10, step: -1 }), /step/);
      await bad(queue.fail(r.id, { message: 'x', errorType: 'gremlins' as never, retryable: true }), /errorType/);
      await bad(queue.fail(r.id, { message: 'x', errorType: 'unknown', retryable: 'yes' as never }), /retryable/);
      await bad(queue.complete(r.id, null as never), /result/);
      // Nothing above changed the job.
      assert.equal((await queue.get(r.id))?.status, 'in_progress');
      await bad(queue.onProgress(undefined as never), /callback/);
    });

    withQueue('a delayed job waits as pending, is promoted when due, and can be cancelled while pending', async ({ queue, another }) => {
      await bad(queue.submit({ service_type: 's', delay_ms: -1 }), /delay_ms/);
      await bad(queue.submit({ service_type: 's', delay_ms: 1.5 }), /delay_ms/);
      await bad(queue.submit({ service_type: 's', delay_ms: 86_400_001 }), /delay_ms/);
      await bad(queue.promoteDue(0), /limit/);
      const t0 = Date.now();
      const later = await queue.submit({ service_type: 's', delay_ms: 300 });
      const never = await queue.submit({ service_type: 's', delay_ms: 60_000 });
      const gone = await queue.submit({ service_type: 's', delay_ms: 200 });
      assert.equal(later.status, 'pending');
      assert.ok(later.run_at >= t0 + 300 && later.run_at <= Date.now() + 300);
      assert.equal(later.queued_at, 0);
      assert.equal(await queue.depth(), 0, 'pending jobs are not in jobs:pending');
      assert.equal(await queue.claim(worker(['s'])), null);
      assert.deepEqual(await queue.promoteDue(), [], 'nothing is due yet');
      assert.equal(await queue.cancel(gone.id), true);
      assert.equal((await queue.get(gone.id))?.status, 'cancelled');
      await sleep(320);
      const promoted = await (await another()).promoteDue();
      assert.deepEqual(promoted.map((r) => [r.id, r.status]), [[later.id, 'queued']]);
      assert.ok(promoted[0]!.queued_at >= later.run_at);
      assert.deepEqual(await queue.promoteDue(), [], 'promoted once');
      const claimed = await queue.claim(worker(['s']));
      assert.equal(claimed?.id, later.id);
      assert.equal(claimed?.status, 'assigned');
      assert.equal((await queue.get(never.id))?.status, 'pending');
    });

    withQueue('a queued job no worker asks for becomes unworkable; jobs some worker can run stay', async ({ queue, another }) => {
      await bad(queue.reapUnworkable(-1), /afterMs/);
      await bad(queue.reapUnworkable(10, 0), /limit/);
      const orphan = await queue.submit({ service_type: 'video-upscale' });
      const served = await queue.submit({ service_type: 's' });
      // a worker for 's' is around (it polls; nothing of its kind is pending when it asks first)
      assert.equal((await queue.claim(worker(['t', 's'], 'w-s')))?.id, served.id);
      const again = await queue.submit({ service_type: 's' });
      assert.deepEqual(await queue.reapUnworkable(60_000), [], 'nothing has waited long enough');
      await sleep(120);
      await queue.claim(worker(['t'], 'w-t')); // keeps 't' fresh, not 's'
      const reaped = await (await another()).reapUnworkable(100);
      const byId = new Map(reaped.map((r) => [r.id, r]));
      assert.ok(byId.has(orphan.id), 'the job nobody can run is reaped');
      assert.equal(byId.get(orphan.id)?.status, 'unworkable');
      assert.equal(byId.get(orphan.id)?.error_type, 'validation');
      assert.match(byId.get(orphan.id)?.error ?? '', /no worker can run service_type video-upscale/);
      assert.ok((byId.get(orphan.id)?.finished_at ?? 0) > 0);
      // 's' was named by a claim 120 ms ago (> 100 ms): its waiting job is reaped too, by the same rule
      assert.ok(byId.has(again.id));
      assert.equal((await queue.get(served.id))?.status, 'assigned');
      assert.equal((await queue.get(orphan.id))?.status, 'unworkable');
      assert.equal(await queue.cancel(orphan.id), false, 'unworkable is final');
      assert.equal(await queue.depth(), 0);
      // a job whose type a worker asked for just now is kept
      const fresh = await queue.submit({ service_type: 'u' });
      await sleep(60);
      await queue.claim(worker(['x'], 'w-x'));
      await queue.claim(worker(['u'], 'w-u')); // takes it
      assert.equal((await queue.get(fresh.id))?.status, 'assigned');
      const kept = await queue.submit({ service_type: 'u' });
      await sleep(60);
      await queue.claim(worker(['x'], 'w-u2'));
      assert.deepEqual((await queue.reapUnworkable(50)).map((r) => r.id), [kept.id], 'u was last asked for > 50 ms ago');
    });

    withQueue('a closed queue answers JS_UNAVAILABLE; close twice is fine', async ({ queue }) => {
      await queue.close();
      await queue.close();
      await assert.rejects(queue.submit({ service_type: 's' }), isJs('JS_UNAVAILABLE', /closed/));
      await assert.rejects(queue.depth(), isJs('JS_UNAVAILABLE'));
    });
  });
}

// The finished-record cap in Redis is checked in redis-layout.test.ts (LPUSH of filler ids).
test('memory queue keeps the last FINISHED_CAP completed records', async () => {
  const queue = createMemoryQueue();
  const first = await queue.submit({ service_type: 's' });
  await queue.claim(worker(['s']));
  await queue.complete(first.id, {});
  for (let i = 0; i < FINISHED_CAP; i++) {
    const r = await queue.submit({ service_type: 's' });
    await queue.claim(worker(['s']));
    await queue.complete(r.id, {});
  }
  assert.equal(await queue.get(first.id), null);
  await queue.close();
});

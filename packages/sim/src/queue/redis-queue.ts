/**
 * The job queue on Redis, laid out as the original's (mission brief):
 *   job:{id}        hash, every JobRecord field (numbers as decimals, payload/result as JSON)
 *   jobs:pending    sorted set of job ids, score -priority * 1e13 + queued_at ms
 *                   (lowest first: higher priority first, then older first)
 *   jobs:scheduled  sorted set of delayed jobs (status pending), score run_at ms
 *   workers:capabilities
 *                   hash service_type → ms of the last claim naming it
 *   jobs:completed, jobs:failed, jobs:cancelled
 *                   lists of finished job ids, newest first, capped at
 *                   FINISHED_CAP; the hash of a record falling off is deleted
 *   jobs:progress   pub/sub channel of ProgressMessage JSON
 * All of them under `keyPrefix` (default none; the channel too). Steps that
 * check a status and change it run as one Lua script (redis-scripts.ts);
 * submit is one MULTI. Redis failures surface as JS_UNAVAILABLE.
 */
import { Redis } from 'ioredis';
import { JobscopeError } from '@jobscope/core';
import type { FailureInfo, JobQueue, JobRecord, JobSpec, ProgressMessage, WorkerIdentity } from './types.js';
import {
  CLAIM_SCAN_LIMIT, FINISHED_CAP, closedError, decodeRecord, deliver, encodeRecord, jsonObject, newRecord, notFound,
  parseProgress, pendingScore, unworkableSuffix, validateAfterMs, validateFailure, validateJobId, validateLimit, validateProgress,
  validateWorker, wrongState,
} from './job-record.js';
import { defineScripts } from './redis-scripts.js';

export interface RedisQueueOptions {
  /** Put before every key and the progress channel, e.g. 'sim1:' (default ''). */
  keyPrefix?: string;
}

/** Flat HGETALL reply (field, value, ...) to an object. */
function pairs(flat: unknown[], from = 0): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = from; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

function unavailable(err: unknown): JobscopeError {
  if (err instanceof JobscopeError) return err;
  return new JobscopeError('JS_UNAVAILABLE', `redis: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

async function connect(client: Redis, url: string): Promise<void> {
  // connect() rejects with a bare "Connection is closed."; the 'error' event has the reason.
  let reason: unknown;
  const onError = (err: unknown): void => {
    reason ??= err;
  };
  client.on('error', onError);
  try {
    await client.connect();
  } catch (err) {
    if (client.status !== 'end') client.disconnect();
    const why = reason ?? err;
    throw new JobscopeError('JS_UNAVAILABLE', `cannot connect to Redis at ${url}: ${why instanceof Error ? why.message : String(why)}`, { cause: why });
  } finally {
    client.off('error', onError);
  }
}

export async function createRedisQueue(url: string, opts: RedisQueueOptions = {}): Promise<JobQueue> {
  if (typeof url !== 'string' || url === '') throw new JobscopeError('JS_BAD_REQUEST', 'redis url must be a non-empty string');
  const prefix = opts.keyPrefix ?? '';
  if (typeof prefix !== 'string') throw new JobscopeError('JS_BAD_REQUEST', 'keyPrefix must be a string');
  const key = {
    job: (id: string) => `${prefix}job:${id}`,
    pending: `${prefix}jobs:pending`,
    scheduled: `${prefix}jobs:scheduled`,
    capabilities: `${prefix}workers:capabilities`,
    completed: `${prefix}jobs:completed`,
    failed: `${prefix}jobs:failed`,
    cancelled: `${prefix}jobs:cancelled`,
    channel: `${prefix}jobs:progress`,
  };
  const cap = String(FINISHED_CAP);

  // No retries until the first connection is up (a wrong url fails at once and leaves no
  // timers behind); ioredis' usual reconnect backoff after that.
  let connected = false;
  const retryStrategy = (times: number): number | null => (connected ? Math.min(times * 50, 2000) : null);
  let client: Redis;
  try {
    // A command fails after two reconnection attempts (JS_UNAVAILABLE) rather than waiting in ioredis'
    // offline queue for 20: workers retry on their own, and a stop never hangs on a Redis that went away.
    client = new Redis(url, { lazyConnect: true, retryStrategy, maxRetriesPerRequest: 2 });
  } catch (err) {
    throw new JobscopeError('JS_BAD_REQUEST', `invalid redis url ${JSON.stringify(url)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Errors are reported through the failing command; the listener only keeps ioredis from logging them.
  client.on('error', () => {});
  await connect(client, url);
  connected = true;
  const scripts = defineScripts(client);

  let subscriber: Redis | undefined;
  let subscribed: Promise<void> | undefined;
  const subscribers = new Set<(msg: ProgressMessage) => void>();
  let closed = false;

  /** Runs one Redis step: closed queue and Redis failures become JobscopeErrors. */
  async function run<T>(step: () => Promise<T>): Promise<T> {
    if (closed) throw closedError();
    try {
      return await step();
    } catch (err) {
      throw unavailable(err);
    }
  }

  /** Turns a script's 'missing' / 'state' reply into the error; returns the reply otherwise. */
  function checked(reply: unknown, jobId: string, action: string): unknown[] {
    const r = Array.isArray(reply) ? reply : [];
    if (r[0] === 'missing') throw notFound(jobId);
    if (r[0] === 'state') throw wrongState(jobId, action, String(r[1]));
    return r;
  }

  async function subscribe(): Promise<void> {
    const sub = client.duplicate();
    subscriber = sub;
    sub.on('error', () => {});
    sub.on('message', (channel: string, text: string) => {
      if (channel !== key.channel) return;
      const msg = parseProgress(text);
      if (!msg) return;
      for (const cb of subscribers) deliver(cb, { ...msg });
    });
    await sub.subscribe(key.channel);
  }

  return {
    kind: 'redis',

    async submit(spec: JobSpec): Promise<JobRecord> {
      const r = newRecord(spec, Date.now());
      return run(async () => {
        const tx = client.multi().hset(key.job(r.id), encodeRecord(r));
        if (r.status === 'pending') tx.zadd(key.scheduled, String(r.run_at), r.id);
        else tx.zadd(key.pending, String(pendingScore(r.priority, r.queued_at)), r.id);
        const replies = await tx.exec();
        const failed = replies?.find(([err]) => err);
        if (!replies || failed) throw failed?.[0] ?? new Error('submit transaction aborted');
        return r;
      });
    },

    async claim(worker: WorkerIdentity): Promise<JobRecord | null> {
      const w = validateWorker(worker);
      if (w.serviceTypes.length === 0) return run(async () => null);
      return run(async () => {
        const reply = await scripts.claim(
          key.pending, key.capabilities, prefix, String(Date.now()), w.machineId, w.workerId, String(CLAIM_SCAN_LIMIT), ...w.serviceTypes,
        );
        return Array.isArray(reply) && reply.length > 0 ? decodeRecord(pairs(reply)) : null;
      });
    },

    async promoteDue(limit?: number): Promise<JobRecord[]> {
      const n = validateLimit(limit);
      return run(async () => {
        const reply = await scripts.promote(key.scheduled, key.pending, prefix, String(Date.now()), String(n));
        return (Array.isArray(reply) ? reply : []).map((h) => decodeRecord(pairs(h as unknown[])));
      });
    },

    async reapUnworkable(afterMs: number, limit?: number): Promise<JobRecord[]> {
      const after = validateAfterMs(afterMs);
      const n = validateLimit(limit);
      return run(async () => {
        const reply = await scripts.reap(
          key.pending, key.capabilities, key.failed, prefix, String(Date.now()), String(after), String(n), cap, unworkableSuffix(after),
        );
        return (Array.isArray(reply) ? reply : []).map((h) => decodeRecord(pairs(h as unknown[])));
      });
    },

    async accept(jobId: string): Promise<void> {
      const id = validateJobId(jobId);
      await run(async () => checked(await scripts.accept(key.job(id)), id, 'accept'));
    },

    async start(jobId: string): Promise<void> {
      const id = validateJobId(jobId);
      await run(async () => checked(await scripts.start(key.job(id), String(Date.now())), id, 'start'));
    },

    async progress(msg: ProgressMessage): Promise<void> {
      const m = validateProgress(msg);
      await run(async () =>
        checked(await scripts.progress(key.job(m.jobId), String(m.progress), key.channel, JSON.stringify(m)), m.jobId, 'record progress of'));
    },

    async complete(jobId: string, result: Record<string, unknown>): Promise<JobRecord> {
      const id = validateJobId(jobId);
      const stored = JSON.stringify(jsonObject(result, 'result'));
      return run(async () => {
        const reply = checked(await scripts.complete(key.job(id), key.completed, String(Date.now()), stored, prefix, cap, id), id, 'complete');
        return decodeRecord(pairs(reply, 1));
      });
    },

    async fail(jobId: string, failure: FailureInfo): Promise<{ record: JobRecord; retried: boolean }> {
      const id = validateJobId(jobId);
      const f = validateFailure(failure);
      return run(async () => {
        const reply = checked(await scripts.fail(
          key.job(id), key.pending, key.failed, String(Date.now()), f.message, f.errorType, f.retryable ? '1' : '0', prefix, cap, id, f.lastAttempt ?? '',
        ), id, 'fail');
        return { record: decodeRecord(pairs(reply, 1)), retried: reply[0] === 'retried' };
      });
    },

    async cancel(jobId: string): Promise<boolean> {
      const id = validateJobId(jobId);
      return run(async () => {
        const reply = await scripts.cancel(key.job(id), key.pending, key.cancelled, key.scheduled, String(Date.now()), prefix, cap, id);
        if (Array.isArray(reply) && reply[0] === 'state') return false;
        checked(reply, id, 'cancel');
        return true;
      });
    },

    async get(jobId: string): Promise<JobRecord | null> {
      const id = validateJobId(jobId);
      return run(async () => {
        const h = await client.hgetall(key.job(id));
        return Object.keys(h).length === 0 ? null : decodeRecord(h);
      });
    },

    async depth(): Promise<number> {
      return run(() => client.zcard(key.pending));
    },

    async onProgress(cb: (msg: ProgressMessage) => void): Promise<() => Promise<void>> {
      if (typeof cb !== 'function') throw new JobscopeError('JS_BAD_REQUEST', 'onProgress needs a callback function');
      await run(async () => {
        subscribed ??= subscribe();
        try {
          await subscribed;
        } catch (err) {
          subscribed = undefined; // the next onProgress tries again
          subscriber?.disconnect();
          throw err;
        }
      });
      // A fresh wrapper per call, so subscribing the same function twice gives two subscriptions.
      const sub = (msg: ProgressMessage): void => cb(msg);
      subscribers.add(sub);
      return async () => {
        subscribers.delete(sub);
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      subscribers.clear();
      await Promise.all([client, subscriber].map(async (c) => {
        if (!c) return;
        try {
          await c.quit();
        } catch {
          c.disconnect();
        }
      }));
    },
  };
}

/**
 * The job queue in process memory, for machines with no Redis: the same
 * semantics as RedisQueue (same ordering and claim window, retries, statuses,
 * finished-record caps, progress callbacks), so a simulation behaves the same
 * on either. Every method runs to completion without awaiting, which is what
 * makes a claim atomic here. Records go in and out through a JSON round trip,
 * as they would through Redis.
 */
import { JobscopeError } from '@jobscope/core';
import type { FailureInfo, JobQueue, JobRecord, JobSpec, ProgressMessage, WorkerIdentity } from './types.js';
import {
  CLAIM_SCAN_LIMIT, CLAIMED_STATUSES, FINISHED_CAP, FINISHED_STATUSES, STARTABLE_STATUSES, closedError, deliver, jsonObject,
  newRecord, notFound, pendingScore, unworkableMessage, validateAfterMs, validateFailure, validateJobId, validateLimit,
  validateProgress, validateWorker, wrongState, type FinishedList,
} from './job-record.js';

interface PendingEntry {
  score: number;
  id: string;
}

/** Same order as a Redis sorted set: score, then member bytes. */
const before = (a: PendingEntry, b: PendingEntry): boolean => a.score < b.score || (a.score === b.score && a.id < b.id);

const copy = (r: JobRecord): JobRecord => JSON.parse(JSON.stringify(r)) as JobRecord;
const patch = (r: JobRecord, fields: Partial<JobRecord>): void => {
  Object.assign(r, fields);
};

export function createMemoryQueue(): JobQueue {
  const jobs = new Map<string, JobRecord>();
  const pending: PendingEntry[] = [];
  /** Delayed jobs (status pending), in run_at order (score = run_at). */
  const scheduled: PendingEntry[] = [];
  /** service_type → ms of the last claim naming it. */
  const capabilities = new Map<string, number>();
  const finished: Record<FinishedList, string[]> = { completed: [], failed: [], cancelled: [] };
  const subscribers = new Set<(msg: ProgressMessage) => void>();
  let closed = false;

  const open = (): void => {
    if (closed) throw closedError();
  };
  const lookup = (jobId: string): JobRecord => {
    const r = jobs.get(validateJobId(jobId));
    if (!r) throw notFound(jobId);
    return r;
  };
  const held = (jobId: string, action: string): JobRecord => {
    const r = lookup(jobId);
    if (!CLAIMED_STATUSES.includes(r.status)) throw wrongState(jobId, action, r.status);
    return r;
  };
  const insert = (set: PendingEntry[], e: PendingEntry): void => {
    let lo = 0;
    let hi = set.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(set[mid], e)) lo = mid + 1;
      else hi = mid;
    }
    set.splice(lo, 0, e);
  };
  const enqueue = (r: JobRecord): void => insert(pending, { score: pendingScore(r.priority, r.queued_at), id: r.id });
  const remove = (set: PendingEntry[], id: string): void => {
    const i = set.findIndex((e) => e.id === id);
    if (i >= 0) set.splice(i, 1);
  };
  /** Newest first, capped: the oldest record falling off the list is forgotten. */
  const remember = (list: FinishedList, id: string): void => {
    const l = finished[list];
    l.unshift(id);
    while (l.length > FINISHED_CAP) jobs.delete(l.pop() as string);
  };

  return {
    kind: 'memory',

    async submit(spec: JobSpec): Promise<JobRecord> {
      open();
      const r = newRecord(spec, Date.now());
      jobs.set(r.id, r);
      if (r.status === 'pending') insert(scheduled, { score: r.run_at, id: r.id });
      else enqueue(r);
      return copy(r);
    },

    async claim(worker: WorkerIdentity): Promise<JobRecord | null> {
      open();
      const w = validateWorker(worker);
      const now = Date.now();
      for (const st of w.serviceTypes) capabilities.set(st, now);
      const n = Math.min(pending.length, CLAIM_SCAN_LIMIT);
      for (let i = 0; i < n; i++) {
        const r = jobs.get(pending[i].id);
        if (!r || !w.serviceTypes.includes(r.service_type)) continue;
        pending.splice(i, 1);
        patch(r, {
          status: 'assigned', attempts: r.attempts + 1, claimed_at: Date.now(), machine_id: w.machineId, worker_id: w.workerId,
        });
        return copy(r);
      }
      return null;
    },

    async promoteDue(limit?: number): Promise<JobRecord[]> {
      open();
      const n = validateLimit(limit);
      const now = Date.now();
      const out: JobRecord[] = [];
      while (out.length < n && scheduled.length > 0 && scheduled[0].score <= now) {
        const r = jobs.get((scheduled.shift() as PendingEntry).id);
        if (!r || r.status !== 'pending') continue;
        patch(r, { status: 'queued', queued_at: now });
        enqueue(r);
        out.push(copy(r));
      }
      return out;
    },

    async reapUnworkable(afterMs: number, limit?: number): Promise<JobRecord[]> {
      open();
      const after = validateAfterMs(afterMs);
      const n = Math.min(pending.length, validateLimit(limit));
      const now = Date.now();
      const out: JobRecord[] = [];
      for (const e of pending.slice(0, n)) {
        const r = jobs.get(e.id);
        if (!r || r.status !== 'queued' || now - r.queued_at < after) continue;
        if (now - (capabilities.get(r.service_type) ?? 0) < after) continue;
        remove(pending, r.id);
        patch(r, { status: 'unworkable', finished_at: now, error_type: 'validation', error: unworkableMessage(r.service_type, after) });
        remember('failed', r.id);
        out.push(copy(r));
      }
      return out;
    },

    async accept(jobId: string): Promise<void> {
      open();
      const r = lookup(jobId);
      if (r.status !== 'assigned') throw wrongState(jobId, 'accept', r.status);
      patch(r, { status: 'accepted' });
    },

    async start(jobId: string): Promise<void> {
      open();
      const r = lookup(jobId);
      if (!STARTABLE_STATUSES.includes(r.status)) throw wrongState(jobId, 'start', r.status);
      patch(r, { status: 'in_progress', started_at: Date.now() });
    },

    async progress(msg: ProgressMessage): Promise<void> {
      open();
      const m = validateProgress(msg);
      held(m.jobId, 'record progress of').progress = m.progress;
      const text = JSON.stringify(m);
      // Delivered later, as pub/sub would, to whoever is still subscribed then.
      for (const cb of subscribers) {
        setImmediate(() => {
          if (subscribers.has(cb)) deliver(cb, JSON.parse(text) as ProgressMessage);
        });
      }
    },

    async complete(jobId: string, result: Record<string, unknown>): Promise<JobRecord> {
      open();
      const stored = jsonObject(result, 'result');
      const r = held(jobId, 'complete');
      patch(r, { status: 'completed', finished_at: Date.now(), progress: 100, result: stored, error: '', error_type: '' });
      remember('completed', r.id);
      return copy(r);
    },

    async fail(jobId: string, failure: FailureInfo): Promise<{ record: JobRecord; retried: boolean }> {
      open();
      const f = validateFailure(failure);
      const r = held(jobId, 'fail');
      const now = Date.now();
      const retried = f.retryable && r.attempts <= r.max_retries;
      patch(r, { error: f.message, error_type: f.errorType });
      if (f.lastAttempt) r.last_attempt = f.lastAttempt;
      if (retried) {
        patch(r, { status: 'queued', queued_at: now, claimed_at: 0, started_at: 0, progress: 0, machine_id: '', worker_id: '' });
        enqueue(r);
      } else {
        patch(r, { status: f.errorType === 'timeout' ? 'timeout' : 'failed', finished_at: now });
        remember('failed', r.id);
      }
      return { record: copy(r), retried };
    },

    async cancel(jobId: string): Promise<boolean> {
      open();
      const r = lookup(jobId);
      if (FINISHED_STATUSES.includes(r.status)) return false;
      remove(pending, r.id);
      remove(scheduled, r.id);
      patch(r, { status: 'cancelled', finished_at: Date.now() });
      remember('cancelled', r.id);
      return true;
    },

    async get(jobId: string): Promise<JobRecord | null> {
      open();
      const r = jobs.get(validateJobId(jobId));
      return r ? copy(r) : null;
    },

    async depth(): Promise<number> {
      open();
      return pending.length;
    },

    async onProgress(cb: (msg: ProgressMessage) => void): Promise<() => Promise<void>> {
      open();
      if (typeof cb !== 'function') throw new JobscopeError('JS_BAD_REQUEST', 'onProgress needs a callback function');
      // A fresh wrapper per call, so subscribing the same function twice gives two subscriptions.
      const sub = (msg: ProgressMessage): void => cb(msg);
      subscribers.add(sub);
      return async () => {
        subscribers.delete(sub);
      };
    },

    async close(): Promise<void> {
      closed = true;
      subscribers.clear();
    },
  };
}


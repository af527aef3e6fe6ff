/**
 * The queue's housekeeping, as the original's API server ran it: scheduled
 * jobs whose time has come move from `pending` to `queued`, and queued jobs
 * no worker has asked for within `unworkableAfterMs` are failed as
 * `unworkable` (job_failed with status=unworkable, error_type=validation),
 * so they stop blocking the head of jobs:pending and show up in the data.
 * Redis hiccups are counted, never thrown: the next tick tries again.
 */
import { context } from '@opentelemetry/api';
import { extractJobContext, type ConnectorLogger, type Tracing } from '@jobscope/sdk';
import type { JobQueue, JobRecord } from '../queue/types.js';

export interface KeeperOptions {
  queue: JobQueue;
  /** The API service's logger. */
  logger: ConnectorLogger;
  /** How often due jobs are promoted (default 250 ms). */
  promoteEveryMs?: number;
  /** How often the queue is checked for unworkable jobs (default 5 s). */
  reapEveryMs?: number;
  /** A job waits this long for a worker of its type (default 30 s). */
  unworkableAfterMs?: number;
  /** The API service's tracing: an unworkable job's trace (its submit span) is kept. */
  tracing?: Tracing;
}

export class QueueKeeper {
  readonly #o: Required<Omit<KeeperOptions, 'tracing'>> & { tracing?: Tracing };
  readonly #timers: NodeJS.Timeout[] = [];
  #busy = false;
  promoted = 0;
  unworkable = 0;
  errors = 0;

  constructor(o: KeeperOptions) {
    this.#o = { promoteEveryMs: 250, reapEveryMs: 5_000, unworkableAfterMs: 30_000, ...o };
  }

  start(): void {
    if (this.#timers.length > 0) return;
    const every = (ms: number, fn: () => Promise<void>): void => {
      const t = setInterval(() => { void this.#once(fn); }, ms);
      t.unref();
      this.#timers.push(t);
    };
    every(this.#o.promoteEveryMs, async () => { await this.promote(); });
    every(this.#o.reapEveryMs, async () => { await this.reap(); });
  }

  stop(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers.length = 0;
  }

  /** One promotion pass; returns the jobs promoted. */
  async promote(): Promise<JobRecord[]> {
    const jobs = await this.#o.queue.promoteDue();
    for (const j of jobs) {
      this.#o.logger.info('Scheduled job queued', {
        job_id: j.id, service_type: j.service_type, model: j.model, delay_ms: j.run_at - j.submitted_at,
      });
    }
    this.promoted += jobs.length;
    return jobs;
  }

  /** One reaping pass; returns the jobs failed as unworkable. */
  async reap(): Promise<JobRecord[]> {
    const jobs = await this.#o.queue.reapUnworkable(this.#o.unworkableAfterMs);
    for (const j of jobs) {
      // in the job's trace (the submit span's context it carries), so the event joins it
      context.with(extractJobContext(j), () => this.#o.logger.jobFailed(j.id, j.error, {
        status: 'unworkable', error_type: 'validation', retryable: false, service_type: j.service_type, model: j.model,
        queue_wait_ms: j.finished_at - j.queued_at, attempt: j.attempts,
      }));
      const traceId = /^00-([0-9a-f]{32})-/.exec(j.traceparent)?.[1];
      if (traceId) this.#o.tracing?.jobEnded({ traceId, jobId: j.id, status: 'unworkable', serviceType: j.service_type, model: j.model });
    }
    this.unworkable += jobs.length;
    return jobs;
  }

  /** Ticks never overlap (a slow Redis must not pile them up). */
  async #once(fn: () => Promise<unknown>): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await fn();
    } catch {
      this.errors++;
    } finally {
      this.#busy = false;
    }
  }
}

/**
 * The job queue of the simulated fleet: the original's contract (mission
 * brief): hash `job:{id}`, sorted set `jobs:pending` scored by priority then
 * age, workers claiming atomically, retries up to `max_retries`, progress
 * on pub/sub, completed/failed job records. Two implementations with the
 * same semantics: RedisQueue (real Redis, the default) and MemoryQueue
 * (in-process, only where no Redis can be had).
 */
import type { ErrorType, JobStatus } from '@jobscope/core';

export interface JobSpec {
  service_type: string;
  model?: string;
  payload?: Record<string, unknown>;
  /** Higher runs first; default 0. */
  priority?: number;
  /** Retries after the first attempt; default 3. */
  max_retries?: number;
  webhook_url?: string;
  /** W3C trace context carried with the job (traces issue). */
  traceparent?: string;
  tracestate?: string;
  /** Run no earlier than this many ms from now (0..MAX_DELAY_MS): the job waits as `pending` in jobs:scheduled. */
  delay_ms?: number;
}

export interface JobRecord {
  id: string;
  service_type: string;
  model: string;
  payload: Record<string, unknown>;
  priority: number;
  max_retries: number;
  /** Claims so far (1 on the first attempt). */
  attempts: number;
  status: JobStatus;
  webhook_url: string;
  traceparent: string;
  tracestate: string;
  /** The previous attempt's process span (traceparent format), so the next attempt links to it; '' before any. */
  last_attempt: string;
  /** ms since the epoch; 0 when not yet. */
  submitted_at: number;
  /** When it may run (submit time + delay_ms). */
  run_at: number;
  /** Last time it entered jobs:pending (submit, promotion from jobs:scheduled, or retry). */
  queued_at: number;
  claimed_at: number;
  started_at: number;
  finished_at: number;
  machine_id: string;
  worker_id: string;
  progress: number;
  error: string;
  error_type: ErrorType | '';
  result: Record<string, unknown> | null;
}

export interface WorkerIdentity {
  machineId: string;
  workerId: string;
  /** Service types this worker's connectors can run. */
  serviceTypes: readonly string[];
}

export interface ProgressMessage {
  jobId: string;
  progress: number;
  step?: number;
  totalSteps?: number;
  message?: string;
}

export interface FailureInfo {
  message: string;
  errorType: ErrorType;
  retryable: boolean;
  /** The failed attempt's span context (traceparent format), kept in the record as `last_attempt`. */
  lastAttempt?: string;
}

export interface JobQueue {
  readonly kind: 'redis' | 'memory';
  /**
   * Stores job:{id} and adds it to jobs:pending (status queued) — or, with
   * delay_ms > 0, to jobs:scheduled (status pending) until promoteDue().
   */
  submit(spec: JobSpec): Promise<JobRecord>;
  /**
   * Atomically takes the best pending job a worker can run (status assigned,
   * attempts + 1), or null. Also notes that a worker for each of its service
   * types was seen now (workers:capabilities), which reapUnworkable reads.
   */
  claim(worker: WorkerIdentity): Promise<JobRecord | null>;
  /** pending → queued for scheduled jobs whose run_at has come (at most `limit`); returns them. */
  promoteDue(limit?: number): Promise<JobRecord[]>;
  /**
   * queued → unworkable for jobs that have waited at least `afterMs` for a
   * service_type no worker has asked for within `afterMs` (looks at the
   * first `limit` of jobs:pending); kept in jobs:failed. Returns them.
   */
  reapUnworkable(afterMs: number, limit?: number): Promise<JobRecord[]>;
  /** assigned → accepted: the worker took the job on (it may still be preparing, e.g. loading a model). */
  accept(jobId: string): Promise<void>;
  /** assigned or accepted → in_progress. */
  start(jobId: string): Promise<void>;
  /** Records progress on the job and publishes it (channel `jobs:progress`). */
  progress(msg: ProgressMessage): Promise<void>;
  complete(jobId: string, result: Record<string, unknown>): Promise<JobRecord>;
  /**
   * A failed attempt: back to jobs:pending (status queued) when retryable and
   * attempts <= max_retries, else failed for good — status `timeout` when the
   * last attempt timed out, `failed` otherwise (both kept in jobs:failed).
   * `retried` says which.
   */
  fail(jobId: string, failure: FailureInfo): Promise<{ record: JobRecord; retried: boolean }>;
  /** pending/queued/assigned/accepted/in_progress → cancelled (removed from jobs:pending or jobs:scheduled); false when already finished. */
  cancel(jobId: string): Promise<boolean>;
  get(jobId: string): Promise<JobRecord | null>;
  /** Jobs waiting in jobs:pending. */
  depth(): Promise<number>;
  /** Calls back for every progress message until the returned function is called. */
  onProgress(cb: (msg: ProgressMessage) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

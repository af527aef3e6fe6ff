/**
 * The job fields every job span carries (`job_id`, `service_type`, `model`,
 * `attempt`), read once from the job carrier (a Redis hash: strings only, or
 * a typed record) and kept in the context of the job's spans, so the spans
 * started inside them (connector calls, ComfyUI nodes, webhooks) carry them
 * too with no extra argument. The server indexes spans by `job_id`.
 */
import { createContextKey, type Attributes, type Context } from '@opentelemetry/api';
import { ATTR_ATTEMPT, ATTR_JOB_ID, ATTR_MESSAGING_MESSAGE_ID, ATTR_MODEL, ATTR_QUEUE_WAIT_MS, ATTR_SERVICE_TYPE } from './semconv.js';
import { num, str } from './run.js';

export interface JobInfo {
  readonly jobId?: string;
  readonly serviceType?: string;
  readonly model?: string;
  readonly attempt?: number;
}

/** Job fields a helper's `set` takes (e.g. the id a queue assigned after submit). */
export interface JobFields {
  jobId?: string;
  serviceType?: string;
  model?: string;
  attempt?: number;
  queueWaitMs?: number;
}

export const JOB_CONTEXT_KEY = createContextKey('jobscope.job');

type Fields = Record<string, unknown>;

/** Job fields from a carrier: id (`id` | `job_id` | `jobId`), `service_type` | `serviceType`, `model`, `attempts` | `attempt`. */
export function readJob(job: object | null | undefined, attempt?: number): JobInfo {
  if (job === null || job === undefined || typeof job !== 'object') return attempt === undefined ? {} : { attempt };
  const j = job as Fields;
  return {
    jobId: str(j.id) ?? str(j.job_id) ?? str(j.jobId),
    serviceType: str(j.service_type) ?? str(j.serviceType),
    model: str(j.model),
    attempt: attempt ?? positive(num(j.attempts) ?? num(j.attempt)),
  };
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

/** The job of the span that is active in `ctx` (set by traceSubmit/traceClaim/traceProcess). */
export function jobOf(ctx: Context): JobInfo | undefined {
  return ctx.getValue(JOB_CONTEXT_KEY) as JobInfo | undefined;
}

export function fillJob(out: Attributes, job: JobInfo | undefined): void {
  if (job === undefined) return;
  if (job.jobId !== undefined) out[ATTR_JOB_ID] = job.jobId;
  if (job.serviceType !== undefined) out[ATTR_SERVICE_TYPE] = job.serviceType;
  if (job.model !== undefined) out[ATTR_MODEL] = job.model;
  if (job.attempt !== undefined) out[ATTR_ATTEMPT] = job.attempt;
}

/** For messaging spans: the job id is also `messaging.message.id`. */
export function fillJobFields(out: Attributes, a: JobFields): void {
  if (a.jobId !== undefined) {
    out[ATTR_JOB_ID] = a.jobId;
    out[ATTR_MESSAGING_MESSAGE_ID] = a.jobId;
  }
  if (a.serviceType !== undefined) out[ATTR_SERVICE_TYPE] = a.serviceType;
  if (a.model !== undefined) out[ATTR_MODEL] = a.model;
  if (a.attempt !== undefined) out[ATTR_ATTEMPT] = a.attempt;
  if (a.queueWaitMs !== undefined) out[ATTR_QUEUE_WAIT_MS] = a.queueWaitMs;
}

/**
 * Time the job waited in the queue: from `queued_at` (its last entry into
 * the queue: submit or retry) to `claimed_at`, or to now when not claimed
 * yet; undefined when the job has no `queued_at`.
 */
export function queueWaitOf(job: object | null | undefined, now = Date.now()): number | undefined {
  if (job === null || job === undefined || typeof job !== 'object') return undefined;
  const j = job as Fields;
  const queued = num(j.queued_at);
  if (queued === undefined || queued <= 0) return undefined;
  const claimed = num(j.claimed_at);
  const end = claimed !== undefined && claimed >= queued ? claimed : now;
  return Math.max(0, end - queued);
}

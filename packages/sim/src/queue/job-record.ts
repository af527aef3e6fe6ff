/**
 * What both queue implementations must agree on, in one place so that
 * RedisQueue and MemoryQueue cannot drift: input validation (bad input is a
 * JobscopeError, never a crash), the new record's defaults, job ids, the
 * jobs:pending score, the claim window, which statuses allow which step,
 * and the string encoding of a record as the fields of hash `job:{id}`.
 */
import { randomInt } from 'node:crypto';
import { ERROR_TYPES, JOB_STATUSES, JobscopeError, type ErrorType, type JobStatus } from '@jobscope/core';
import type { FailureInfo, JobRecord, JobSpec, ProgressMessage, WorkerIdentity } from './types.js';

/** A claim looks at this many pending jobs (in score order) for one the worker can run. */
export const CLAIM_SCAN_LIMIT = 200;
/** Finished records kept per outcome (jobs:completed, jobs:failed, jobs:cancelled); older ones are deleted. */
export const FINISHED_CAP = 10_000;
export const DEFAULT_MAX_RETRIES = 3;
/** |priority| bound that keeps `-priority * 1e13 + ms` an exact double (< 2^53). */
export const MAX_ABS_PRIORITY = 900;
const PRIORITY_WEIGHT = 1e13;
/** Longest delay_ms a job may be scheduled with (one day). */
export const MAX_DELAY_MS = 86_400_000;
/** promoteDue and reapUnworkable look at this many jobs per call by default. */
export const MAINTENANCE_BATCH = 500;

/** Statuses a worker holds a job in (start/progress/complete/fail are allowed). */
export const CLAIMED_STATUSES: readonly JobStatus[] = ['assigned', 'accepted', 'in_progress'];
/** Statuses start() accepts. */
export const STARTABLE_STATUSES: readonly JobStatus[] = ['assigned', 'accepted'];
/** Statuses after which nothing changes (cancel answers false). */
export const FINISHED_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'timeout', 'unworkable'];

export type FinishedList = 'completed' | 'failed' | 'cancelled';

/** Lower runs first: priority first (higher first), then queued_at (older first); ties by id. */
export function pendingScore(priority: number, queuedAt: number): number {
  return -priority * PRIORITY_WEIGHT + queuedAt;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
export function newJobId(now: number): string {
  let rnd = '';
  for (let i = 0; i < 10; i++) rnd += ID_ALPHABET[randomInt(36)];
  return `job-${now.toString(36)}-${rnd}`;
}

const bad = (message: string): JobscopeError => new JobscopeError('JS_BAD_REQUEST', message);
export const notFound = (jobId: string): JobscopeError => new JobscopeError('JS_NOT_FOUND', `job ${jobId} not found`);
export const wrongState = (jobId: string, action: string, status: string): JobscopeError =>
  bad(`cannot ${action} job ${jobId}: it is ${status}`);
export const closedError = (): JobscopeError => new JobscopeError('JS_UNAVAILABLE', 'the job queue is closed');

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(v: unknown, name: string, max = 2048): string {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw bad(`${name} must be a string`);
  if (v.length > max) throw bad(`${name} is longer than ${max} characters`);
  return v;
}

/** JSON round trip: what Redis would store and give back; rejects what JSON cannot carry. */
export function jsonObject(v: unknown, name: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw bad(`${name} must be an object`);
  let text: string;
  try {
    text = JSON.stringify(v);
  } catch (err) {
    throw bad(`${name} is not JSON-serializable: ${(err as Error).message}`);
  }
  return JSON.parse(text) as Record<string, unknown>;
}

export function validateJobId(jobId: unknown): string {
  if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > 200) throw bad('job id must be a non-empty string');
  return jobId;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The record a valid spec becomes on submit (status queued, or pending with a delay). */
export function newRecord(spec: JobSpec, now: number): JobRecord {
  if (!isPlainObject(spec)) throw bad('job spec must be an object');
  const serviceType: unknown = spec.service_type;
  if (typeof serviceType !== 'string' || serviceType.trim() === '') throw bad('service_type must be a non-empty string');
  if (serviceType.length > 200) throw bad('service_type is longer than 200 characters');
  const priority = spec.priority ?? 0;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || Math.abs(priority) > MAX_ABS_PRIORITY) {
    throw bad(`priority must be an integer between -${MAX_ABS_PRIORITY} and ${MAX_ABS_PRIORITY}`);
  }
  const maxRetries = spec.max_retries ?? DEFAULT_MAX_RETRIES;
  if (typeof maxRetries !== 'number' || !Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 1000) {
    throw bad('max_retries must be an integer between 0 and 1000');
  }
  const delay = spec.delay_ms ?? 0;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_MS) {
    throw bad(`delay_ms must be an integer between 0 and ${MAX_DELAY_MS}`);
  }
  const traceparent = optionalString(spec.traceparent, 'traceparent', 55);
  if (traceparent !== '' && !TRACEPARENT.test(traceparent)) throw bad('traceparent must be a W3C trace context (00-<32 hex>-<16 hex>-<2 hex>)');
  return {
    id: newJobId(now),
    service_type: serviceType,
    model: optionalString(spec.model, 'model', 200),
    payload: spec.payload === undefined ? {} : jsonObject(spec.payload, 'payload'),
    priority,
    max_retries: maxRetries,
    attempts: 0,
    status: delay > 0 ? 'pending' : 'queued',
    webhook_url: optionalString(spec.webhook_url, 'webhook_url'),
    traceparent,
    tracestate: optionalString(spec.tracestate, 'tracestate', 512),
    last_attempt: '',
    submitted_at: now,
    run_at: now + delay,
    queued_at: delay > 0 ? 0 : now,
    claimed_at: 0,
    started_at: 0,
    finished_at: 0,
    machine_id: '',
    worker_id: '',
    progress: 0,
    error: '',
    error_type: '',
    result: null,
  };
}

export function validateWorker(worker: WorkerIdentity): WorkerIdentity {
  if (!isPlainObject(worker)) throw bad('worker identity must be an object');
  const { machineId, workerId, serviceTypes } = worker as unknown as Record<string, unknown>;
  if (typeof machineId !== 'string' || machineId === '') throw bad('worker machineId must be a non-empty string');
  if (typeof workerId !== 'string' || workerId === '') throw bad('worker workerId must be a non-empty string');
  if (!Array.isArray(serviceTypes) || !serviceTypes.every((s) => typeof s === 'string')) {
    throw bad('worker serviceTypes must be an array of strings');
  }
  return { machineId, workerId, serviceTypes: serviceTypes as string[] };
}

export function validateProgress(msg: ProgressMessage): ProgressMessage {
  if (!isPlainObject(msg)) throw bad('progress message must be an object');
  const jobId = validateJobId(msg.jobId);
  if (typeof msg.progress !== 'number' || !Number.isFinite(msg.progress) || msg.progress < 0 || msg.progress > 100) {
    throw bad('progress must be a number from 0 to 100');
  }
  const out: ProgressMessage = { jobId, progress: msg.progress };
  for (const k of ['step', 'totalSteps'] as const) {
    const v = msg[k];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`${k} must be a non-negative integer`);
    out[k] = v;
  }
  if (msg.message !== undefined) out.message = optionalString(msg.message, 'progress message', 4096);
  return out;
}

/** Parses a published progress message; undefined when it is not one. */
export function parseProgress(text: string): ProgressMessage | undefined {
  try {
    return validateProgress(JSON.parse(text) as ProgressMessage);
  } catch {
    return undefined;
  }
}

/** The maintenance calls' limit argument. */
export function validateLimit(limit: unknown): number {
  if (limit === undefined) return MAINTENANCE_BATCH;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100_000) throw bad('limit must be an integer between 1 and 100000');
  return limit;
}

export function validateAfterMs(afterMs: unknown): number {
  if (typeof afterMs !== 'number' || !Number.isInteger(afterMs) || afterMs < 0) throw bad('afterMs must be a non-negative integer');
  return afterMs;
}

/** What reapUnworkable writes as the job's error. */
export const unworkableSuffix = (afterMs: number): string => ` (no worker asked for it in ${Math.round(afterMs / 1000)} s)`;
export const unworkableMessage = (serviceType: string, afterMs: number): string =>
  `no worker can run service_type ${serviceType}${unworkableSuffix(afterMs)}`;

export function validateFailure(failure: FailureInfo): FailureInfo {
  if (!isPlainObject(failure)) throw bad('failure must be an object');
  if (typeof failure.message !== 'string') throw bad('failure message must be a string');
  if (!(ERROR_TYPES as readonly string[]).includes(failure.errorType)) throw bad(`failure errorType must be one of ${ERROR_TYPES.join(', ')}`);
  if (typeof failure.retryable !== 'boolean') throw bad('failure retryable must be a boolean');
  const lastAttempt = failure.lastAttempt ?? '';
  if (typeof lastAttempt !== 'string' || (lastAttempt !== '' && !TRACEPARENT.test(lastAttempt))) throw bad('failure lastAttempt must be a W3C traceparent');
  return { message: failure.message.slice(0, 8192), errorType: failure.errorType, retryable: failure.retryable, lastAttempt };
}

/** The fields of hash job:{id}: numbers as decimal strings, payload/result as JSON. */
export function encodeRecord(r: JobRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) {
    out[k] = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  }
  return out;
}

const num = (v: string | undefined): number => {
  const n = Number(v);
  return v === undefined || v === '' || !Number.isFinite(n) ? 0 : n;
};
function json<T>(v: string | undefined, fallback: T): T {
  if (v === undefined || v === '') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

/** Reads hash job:{id} back; tolerant of missing or damaged fields (defaults, never a throw). */
export function decodeRecord(h: Record<string, string>): JobRecord {
  const status = (JOB_STATUSES as readonly string[]).includes(h.status ?? '') ? (h.status as JobStatus) : 'queued';
  const errorType = (ERROR_TYPES as readonly string[]).includes(h.error_type ?? '') ? (h.error_type as ErrorType) : '';
  const payload = json<unknown>(h.payload, {});
  const result = json<unknown>(h.result, null);
  return {
    id: h.id ?? '',
    service_type: h.service_type ?? '',
    model: h.model ?? '',
    payload: isPlainObject(payload) ? payload : {},
    priority: num(h.priority),
    max_retries: num(h.max_retries),
    attempts: num(h.attempts),
    status,
    webhook_url: h.webhook_url ?? '',
    traceparent: h.traceparent ?? '',
    tracestate: h.tracestate ?? '',
    last_attempt: h.last_attempt ?? '',
    submitted_at: num(h.submitted_at),
    run_at: num(h.run_at ?? h.submitted_at),
    queued_at: num(h.queued_at),
    claimed_at: num(h.claimed_at),
    started_at: num(h.started_at),
    finished_at: num(h.finished_at),
    machine_id: h.machine_id ?? '',
    worker_id: h.worker_id ?? '',
    progress: num(h.progress),
    error: h.error ?? '',
    error_type: errorType,
    result: isPlainObject(result) ? result : null,
  };
}

/** Hands a message to a subscriber; one that throws must not take the queue (or the process) down. */
export function deliver(cb: (msg: ProgressMessage) => void, msg: ProgressMessage): void {
  try {
    cb(msg);
  } catch (err) {
    process.emitWarning(`job queue progress subscriber threw: ${err instanceof Error ? err.message : String(err)}`, 'JobQueueWarning');
  }
}

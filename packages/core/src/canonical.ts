/**
 * The canonical data model (mission brief, "Data model facts to keep").
 * One vocabulary used by the SDK, the agent, the server and the UI.
 */

/** Canonical attribute names every record may carry. */
export const CANONICAL_FIELDS = [
  'timestamp', 'level', 'message', 'event_type', 'machine_id', 'worker_id',
  'service_type', 'connector_id', 'job_id', 'session_id', 'trace_id', 'span_id',
  'duration_ms', 'model', 'source', 'dataset',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/**
 * Aliases accepted at ingest, normalized to the canonical name.
 * Keys are compared as given (attribute keys are case-sensitive in OTLP).
 */
export const ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = {
  jobId: 'job_id', 'job.id': 'job_id', 'emp.job.id': 'job_id', jobID: 'job_id', 'job-id': 'job_id',
  machineId: 'machine_id', 'machine.id': 'machine_id', 'emp.machine.id': 'machine_id',
  workerId: 'worker_id', 'worker.id': 'worker_id', 'emp.worker.id': 'worker_id',
  serviceType: 'service_type', 'service.type': 'service_type', 'emp.service.type': 'service_type',
  connectorId: 'connector_id', 'connector.id': 'connector_id', 'emp.connector.id': 'connector_id',
  eventType: 'event_type', 'event.type': 'event_type', 'event.name': 'event_type',
  sessionId: 'session_id', 'session.id': 'session_id',
  traceId: 'trace_id', spanId: 'span_id',
  durationMs: 'duration_ms', duration: 'duration_ms', 'duration.ms': 'duration_ms',
  'emp.dataset': 'dataset', 'deployment.environment': 'dataset', 'deployment.environment.name': 'dataset',
  'gen_ai.request.model': 'model', 'model_name': 'model',
};

/** Job lifecycle event types. */
export const LIFECYCLE_EVENTS = [
  'job_submitted', 'job_received', 'job_started', 'job_progress', 'job_completed',
  'job_failed', 'job_retried', 'job_cancelled', 'job_timeout',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

/** Fleet event types. */
export const FLEET_EVENTS = [
  'worker_registered', 'worker_heartbeat', 'worker_status_changed', 'machine_started',
  'machine_stopped', 'health_check', 'webhook_delivered', 'webhook_failed',
] as const;

export const ERROR_TYPES = ['timeout', 'memory', 'network', 'rate_limit', 'model', 'validation', 'unknown'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

export const JOB_STATUSES = [
  'pending', 'queued', 'assigned', 'accepted', 'in_progress', 'completed', 'failed',
  'cancelled', 'timeout', 'unworkable',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The status a job is in right after a lifecycle event. */
export const STATUS_AFTER_EVENT: Readonly<Record<LifecycleEvent, JobStatus>> = {
  job_submitted: 'queued',
  job_received: 'assigned',
  job_started: 'in_progress',
  job_progress: 'in_progress',
  job_completed: 'completed',
  job_failed: 'failed',
  job_retried: 'queued',
  job_cancelled: 'cancelled',
  job_timeout: 'timeout',
};

/**
 * Statuses an event can set through its `status` attribute instead of
 * STATUS_AFTER_EVENT: a job submitted to run later is `pending` (not yet in
 * the queue), and a queued job no worker can run is failed as `unworkable`.
 * Any other `status` value on an event is ignored by the job state.
 */
export const STATUS_OVERRIDES: Readonly<Partial<Record<LifecycleEvent, readonly JobStatus[]>>> = {
  job_submitted: ['pending'],
  job_failed: ['unworkable'],
};

/** The status a job is in after `event`, given the event's `status` attribute (if any). */
export function statusAfter(event: LifecycleEvent, statusAttr?: string): JobStatus {
  const allowed = STATUS_OVERRIDES[event];
  if (statusAttr && allowed && (allowed as readonly string[]).includes(statusAttr)) return statusAttr as JobStatus;
  return STATUS_AFTER_EVENT[event];
}

/** The default dataset (tenant/environment partition) when none is given. */
export const DEFAULT_DATASET = 'default';

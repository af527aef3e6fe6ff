/**
 * ConnectorLogger: the original API (info/warn/error/debug, jobReceived …
 * jobFailed, healthCheck, serviceEvent, withJobContext), extended with every
 * lifecycle and fleet event of the mission brief. Each event method sets
 * `event_type`; its message and event chunk are constants built at load.
 *
 * Lifecycle/fleet events are track 1 (kept at 100%): they ignore the log
 * level threshold, and only `level: 'silent'` turns them off.
 *
 * Job methods take `(jobId, …)`; the original's `(jobData: JobLogData)` form
 * is still accepted (slower path: the object is copied without jobId).
 */
import { classifyError, retryable } from '../classify/classify.js';
import { tableFor } from '@jobscope/core/schemas';
import { LoggerCore } from './core.js';
import { setBinding, takeChildInit, type Bindings, type CoreInit, type LogMeta, type Shared } from './state.js';
import { anyValue, str } from './json.js';
import { ERROR, INFO, WARN, levelIndex, type LevelIndex } from './levels.js';
import { DEFAULT_MAX_STRING, resolveIdentity, type ConnectorLogContext, type ConnectorLoggerOptions } from './options.js';
import { errorChunk, safeString } from './record.js';
import { defaultSink } from './stdout-sink.js';

/** The original's job data object (camelCase fields are normalized like any meta). */
export interface JobLogData {
  jobId: string;
  [key: string]: unknown;
}

const ev = (type: string): string => ',"event_type":"' + type + '"';
const msg = (text: string): string => JSON.stringify(text);

const EVENTS = {
  job_submitted: [ev('job_submitted'), msg('Job submitted')],
  job_received: [ev('job_received'), msg('Job received')],
  job_started: [ev('job_started'), msg('Job started')],
  job_progress: [ev('job_progress'), msg('Job progress')],
  job_completed: [ev('job_completed'), msg('Job completed')],
  job_failed: [ev('job_failed'), msg('Job failed')],
  job_retried: [ev('job_retried'), msg('Job retried')],
  job_cancelled: [ev('job_cancelled'), msg('Job cancelled')],
  job_timeout: [ev('job_timeout'), msg('Job timed out')],
  worker_registered: [ev('worker_registered'), msg('Worker registered')],
  worker_heartbeat: [ev('worker_heartbeat'), msg('Worker heartbeat')],
  worker_status_changed: [ev('worker_status_changed'), msg('Worker status changed')],
  machine_started: [ev('machine_started'), msg('Machine started')],
  machine_stopped: [ev('machine_stopped'), msg('Machine stopped')],
  health_check: [ev('health_check'), msg('Health check')],
  webhook_delivered: [ev('webhook_delivered'), msg('Webhook delivered')],
  webhook_failed: [ev('webhook_failed'), msg('Webhook failed')],
} as const;

const TIMEOUT_FIELDS = ',"error_type":"timeout","retryable":' + String(retryable('timeout'));

export class ConnectorLogger extends LoggerCore {
  protected static override eventMethods: readonly string[] = [
    'jobSubmitted', 'jobReceived', 'jobStarted', 'jobProgress', 'jobCompleted', 'jobFailed', 'jobRetried',
    'jobCancelled', 'jobTimeout', 'workerRegistered', 'workerHeartbeat', 'workerStatusChanged', 'machineStarted',
    'machineStopped', 'healthCheck', 'serviceEvent', 'webhookDelivered', 'webhookFailed',
  ];

  /** `_enableTransport` is the original's second argument, accepted and ignored: pass a `sink` instead. */
  constructor(options: ConnectorLoggerOptions | ConnectorLogContext = {}, _enableTransport?: boolean) {
    super(takeChildInit() ?? rootInit(options));
  }

  // ── job lifecycle ──────────────────────────────────────────────────────

  /** Accepted by the API/queue. Meta: priority, queue, … */
  jobSubmitted(jobId: string, meta?: LogMeta): void {
    this.#job(INFO, EVENTS.job_submitted, jobId, '', meta);
  }
  /** Claimed by a worker. Meta: queue_wait_ms, model, … */
  jobReceived(jobId: string | JobLogData, meta?: LogMeta): void {
    this.#job(INFO, EVENTS.job_received, jobId, '', meta);
  }
  /** Processing began. Meta: attempt, model, … */
  jobStarted(jobId: string | JobLogData, meta?: LogMeta): void {
    this.#job(INFO, EVENTS.job_started, jobId, '', meta);
  }
  /**
   * Progress 0–100 (clamped and reported if outside), with `step`/`total_steps`
   * in meta for "step i of n". `jobProgress(id, {step: 3, total_steps: 20})`
   * derives progress from the steps.
   */
  jobProgress(jobId: string | JobLogData, progress?: number | LogMeta, meta?: LogMeta): void {
    if (typeof jobId === 'object' && jobId !== null) return this.#job(INFO, EVENTS.job_progress, jobId, '', meta);
    if (typeof progress === 'object' && progress !== null && !(progress instanceof Error)) {
      meta = progress;
      try {
        const { step, total_steps: total } = progress as { step?: unknown; total_steps?: unknown };
        progress = typeof step === 'number' && typeof total === 'number' && total > 0 ? Math.round((step / total) * 1000) / 10 : undefined;
      } catch {
        progress = undefined; // unreadable steps: the record still goes out (emit reports the meta)
      }
    }
    this.#job(INFO, EVENTS.job_progress, jobId, this.field('progress', progress), meta);
  }
  /** Finished. Meta: duration_ms, output_size, model, … */
  jobCompleted(jobId: string | JobLogData, meta?: LogMeta): void {
    this.#job(INFO, EVENTS.job_completed, jobId, '', meta);
  }
  /**
   * Failed: `error`, `error_name`, `stack`, `error_type` (classifyError) and
   * `retryable`, unless meta gives error_type/retryable itself. Meta: duration_ms, attempt, …
   */
  jobFailed(jobId: string | JobLogData, error?: unknown, meta?: LogMeta): void {
    if (typeof jobId === 'object' && jobId !== null) {
      try {
        error ??= (jobId as { error?: unknown }).error;
        jobId = { ...jobId, error: undefined } as JobLogData;
      } catch (err) {
        return this.failed(err);
      }
    }
    // In the jobData form, error_type/retryable given in the data win as meta's do.
    this.#job(ERROR, EVENTS.job_failed, jobId, this.#errorFields(error, meta ?? (typeof jobId === 'object' ? jobId : undefined)), meta);
  }
  /** Sent back to the queue for another attempt. Meta: reason, delay_ms, max_retries, … */
  jobRetried(jobId: string, attempt?: number, meta?: LogMeta): void {
    this.#job(WARN, EVENTS.job_retried, jobId, this.field('attempt', attempt), meta);
  }
  jobCancelled(jobId: string, reason?: string, meta?: LogMeta): void {
    this.#job(INFO, EVENTS.job_cancelled, jobId, this.field('reason', reason), meta);
  }
  /** Ran past its deadline: error_type `timeout`. Meta: duration_ms, … */
  jobTimeout(jobId: string, timeoutMs?: number, meta?: LogMeta): void {
    this.#job(ERROR, EVENTS.job_timeout, jobId, this.field('timeout_ms', timeoutMs) + TIMEOUT_FIELDS, meta);
  }

  // ── fleet ──────────────────────────────────────────────────────────────

  /** Meta: capabilities, version, gpu, … */
  workerRegistered(meta?: LogMeta): void {
    this.emit(INFO, EVENTS.worker_registered[1], EVENTS.worker_registered[0], meta);
  }
  /** Meta: status, active_jobs, … */
  workerHeartbeat(meta?: LogMeta): void {
    this.emit(INFO, EVENTS.worker_heartbeat[1], EVENTS.worker_heartbeat[0], meta);
  }
  workerStatusChanged(status: string, previousStatus?: string, meta?: LogMeta): void {
    const fixed = EVENTS.worker_status_changed[0] + this.field('status', status) + this.field('previous_status', previousStatus);
    this.emit(INFO, EVENTS.worker_status_changed[1], fixed, meta);
  }
  machineStarted(meta?: LogMeta): void {
    this.emit(INFO, EVENTS.machine_started[1], EVENTS.machine_started[0], meta);
  }
  machineStopped(reason?: string, meta?: LogMeta): void {
    this.emit(INFO, EVENTS.machine_stopped[1], EVENTS.machine_stopped[0] + this.field('reason', reason), meta);
  }
  /** `health_status`; details are fields of the record. Level info when healthy, warn otherwise. */
  healthCheck(status: 'healthy' | 'unhealthy' | 'degraded' | (string & {}), details?: LogMeta): void {
    const level = status === 'healthy' ? INFO : WARN;
    const text = safeString(status);
    this.emit(level, this.messageJson(`Health check: ${text}`), EVENTS.health_check[0] + this.field('health_status', text), details);
  }
  /** `event_type` = `service_<eventType>` as in the original (no double prefix). */
  serviceEvent(eventType: string, message: string, meta?: LogMeta): void {
    const t = safeString(eventType);
    const fixed = ',"event_type":' + str(t.startsWith('service_') ? t : 'service_' + t, this.maxString);
    this.emit(INFO, this.messageJson(message), fixed, meta);
  }
  /** Meta: url, status_code, duration_ms, attempt, … */
  webhookDelivered(jobId: string, meta?: LogMeta): void {
    this.#job(INFO, EVENTS.webhook_delivered, jobId, '', meta);
  }
  webhookFailed(jobId: string, error?: unknown, meta?: LogMeta): void {
    this.#job(WARN, EVENTS.webhook_failed, jobId, this.#errorFields(error, meta), meta);
  }

  // ── helpers ────────────────────────────────────────────────────────────

  #job(level: LevelIndex, event: readonly [string, string], jobId: string | JobLogData, extra: string, meta: unknown): void {
    if (typeof jobId !== 'object' || jobId === null) {
      this.emit(level, event[1], event[0] + this.jobField(jobId) + extra, meta);
      return;
    }
    // The original's jobData form: its fields are the meta (meta, if also given, is added after).
    let fields: Record<string, unknown>, id: unknown;
    try {
      const { jobId: id1, job_id: id2, ...rest } = jobId as Record<string, unknown>;
      id = id1 ?? id2;
      fields = meta === undefined ? rest : { ...rest, ...(meta as object) };
    } catch (err) {
      return this.failed(err);
    }
    this.emit(level, event[1], event[0] + this.jobField(id) + extra, fields);
  }

  /** error fields + error_type + retryable (meta may set the last two itself). */
  #errorFields(error: unknown, meta: unknown): string {
    let out = errorChunk(error, this.maxString);
    const m = (typeof meta === 'object' && meta !== null ? meta : {}) as { error_type?: unknown; retryable?: unknown };
    let type: string | undefined;
    try {
      if (m.error_type === undefined) out += ',"error_type":"' + (type = classifyError(error)) + '"';
      if (m.retryable === undefined) out += ',"retryable":' + String(retryable(type ?? String(m.error_type)));
    } catch {
      // a meta getter that throws: classification is optional
    }
    return out;
  }
}

function rootInit(o: ConnectorLoggerOptions): CoreInit {
  const id = resolveIdentity(o);
  const max = o.maxStringLength !== undefined && o.maxStringLength > 0 ? o.maxStringLength : DEFAULT_MAX_STRING;
  const shared: Shared = {
    sink: o.sink ?? defaultSink(),
    table: tableFor(id.service_type),
    max,
    trace: o.trace !== false,
    stats: { records: 0, schemaErrors: 0, serializeErrors: 0, sinkErrors: 0, sinkFull: 0, dropped: 0 },
  };
  const bindings: Bindings = [];
  const bind = (name: string, value: string | undefined): void => {
    if (value !== undefined) setBinding(bindings, name, JSON.stringify(name) + ':' + str(value, max) + ',');
  };
  bind('machine_id', id.machine_id);
  bind('worker_id', id.worker_id);
  bind('service_type', id.service_type);
  bind('connector_id', id.connector_id);
  bind('dataset', id.dataset);
  const init: CoreInit = { shared, bindings, level: levelIndex(o.level ?? (o.env ?? process.env).LOG_LEVEL) };
  if (o.bindings) {
    for (const [k, v] of Object.entries(o.bindings)) {
      const e = shared.table.lookup(k);
      const json = v === null ? undefined : anyValue(v, max);
      if (json !== undefined) setBinding(bindings, e.name, e.key + json + ',');
    }
  }
  if (o.jobId !== undefined) {
    bind('job_id', o.jobId);
    init.jobId = o.jobId;
  }
  bind('session_id', o.sessionId);
  return init;
}

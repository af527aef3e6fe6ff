/**
 * One simulated worker: claims jobs its connectors can run, runs them
 * through the simulated connector, and reports every step of the job's life
 * through ConnectorLogger (received with queue wait, started, progress,
 * completed / failed with the error type, retried), then hands finished
 * jobs to the webhook service. Heartbeats every heartbeatMs. A worker stops
 * between jobs; `crash()` stops it at once, silently (a machine crash).
 */
import { trace as traceApi } from '@opentelemetry/api';
import { classifyError, failSpan, formatTraceparent, retryable, traceClaim, traceProcess, type ConnectorLogger, type Tracing } from '@jobscope/sdk';
import { runConnectorTraced } from '../tracing/connector-spans.js';
import { NO_TRACER } from '../tracing/no-tracer.js';
import type { ActiveFaults, SimulatedConnector } from '../connectors/index.js';
import type { Rng } from '../random/index.js';
import type { JobQueue, JobRecord } from '../queue/types.js';
import type { WebhookDeliverer } from '../webhook/index.js';

export interface WorkerOptions {
  queue: JobQueue;
  machineId: string;
  workerId: string;
  /** The worker's connectors, each with its own logger (identity: machine, worker, service_type, connector_id). */
  connectors: readonly { connector: SimulatedConnector; logger: ConnectorLogger }[];
  faults: ActiveFaults;
  rng: Rng;
  webhook: WebhookDeliverer | null;
  /** Waits real ms (connectors pass simulated ms × durationScale). */
  sleep(ms: number): Promise<void>;
  /** Real time per simulated time: 0.01 runs jobs 100× faster than life (default 1). */
  durationScale?: number;
  pollMs?: number;
  heartbeatMs?: number;
  /** Called when a job reaches a final state (tests and the demo's counters). */
  onFinished?(job: JobRecord): void;
  /**
   * The machine's tracing: the claim (`receive jobs:pending`), each attempt
   * (`process jobs:pending`, linked to the previous one) and the connector
   * call become spans of the job's trace, and the job's end tells the
   * sampler whether to keep it. Without it: no spans.
   */
  tracing?: Tracing;
}

export class SimWorker {
  readonly #o: WorkerOptions;
  #running = false;
  #crashed = false;
  #loop: Promise<void> | null = null;
  #heartbeat: NodeJS.Timeout | null = null;
  #busyWith = '';

  constructor(o: WorkerOptions) {
    this.#o = o;
  }

  get busy(): boolean { return this.#busyWith !== ''; }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    const main = this.#o.connectors[0]?.logger;
    main?.workerRegistered({ service_types: this.#o.connectors.map((c) => c.connector.serviceType).join(',') });
    main?.workerStatusChanged('idle', 'starting');
    this.#heartbeat = setInterval(() => {
      if (!this.#crashed) main?.workerHeartbeat({ status: this.#busyWith ? 'busy' : 'idle', current_job_id: this.#busyWith || undefined });
    }, this.#o.heartbeatMs ?? 10_000);
    this.#heartbeat.unref();
    this.#loop = this.#run();
  }

  /** Finishes the current job, then stops. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    await this.#loop;
    if (!this.#crashed) this.#o.connectors[0]?.logger.workerStatusChanged('stopped', 'idle');
  }

  /** Goes silent at once: no more events, the current job is abandoned (a machine crash). */
  crash(): void {
    this.#crashed = true;
    this.#running = false;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }

  async #run(): Promise<void> {
    const o = this.#o;
    const serviceTypes = o.connectors.map((c) => c.connector.serviceType);
    while (this.#running) {
      let job: JobRecord | null = null;
      try {
        job = await o.queue.claim({ machineId: o.machineId, workerId: o.workerId, serviceTypes });
      } catch {
        // queue unavailable: wait and try again
      }
      if (!job) {
        await o.sleep(o.pollMs ?? 200);
        continue;
      }
      this.#busyWith = job.id;
      try {
        await this.#process(job);
      } catch {
        // a queue error mid-job: the job stays claimed (a real queue would time it out)
      } finally {
        this.#busyWith = '';
      }
    }
  }

  async #process(job: JobRecord): Promise<void> {
    const o = this.#o;
    const entry = o.connectors.find((c) => c.connector.serviceType === job.service_type) ?? o.connectors[0];
    if (!entry) return;
    const tracer = o.tracing?.tracer ?? NO_TRACER;
    const log = entry.logger.withJobContext(job.id);
    const queueWait = Math.max(0, job.claimed_at - job.queued_at);
    await traceClaim(job, async () => {
      log.jobReceived(job.id, { model: job.model, attempt: job.attempts, queue_wait_ms: queueWait, priority: job.priority });
      await o.queue.accept(job.id);
    }, { tracer });
    let traceId = '';
    const end = await traceProcess(job, async (span) => {
      traceId = span.spanContext().traceId;
      await o.queue.start(job.id);
      log.jobStarted(job.id, { model: job.model, attempt: job.attempts });
      const result = await runConnectorTraced(tracer, job, entry.connector, (trace) => entry.connector.run(
        { id: job.id, service_type: job.service_type, model: job.model, payload: job.payload, attempts: job.attempts },
        {
          logger: log, rng: o.rng, faults: o.faults, sleep: o.sleep, machineId: o.machineId, durationScale: o.durationScale ?? 1,
          progress: (p) => o.queue.progress({ jobId: job.id, ...p }),
          ...(o.tracing ? { trace } : {}),
        },
      ));
      if (this.#crashed) return null;
      const durationMs = Math.round(result.durationMs); // simulated time, whatever the scale
      if (result.ok) {
        const final = await o.queue.complete(job.id, result.output);
        log.jobCompleted(job.id, { model: job.model, duration_ms: durationMs, attempt: job.attempts, output_size: JSON.stringify(result.output).length });
        return { final, retried: false, durationMs };
      }
      failSpan(span, result.error);
      const errorType = classifyError(result.error);
      const sc = span.spanContext();
      const lastAttempt = traceApi.isSpanContextValid(sc) ? formatTraceparent(sc) : undefined;
      const { record, retried } = await o.queue.fail(job.id, {
        message: result.error.message, errorType, retryable: retryable(errorType), ...(lastAttempt ? { lastAttempt } : {}),
      });
      log.jobFailed(job.id, result.error, { model: job.model, duration_ms: durationMs, attempt: job.attempts, max_retries: job.max_retries });
      if (retried) {
        log.jobRetried(job.id, job.attempts + 1, { error_type: errorType, max_retries: job.max_retries });
        return { final: null, retried: true, durationMs };
      }
      if (record.status === 'timeout') log.jobTimeout(job.id, durationMs, { model: job.model, attempt: job.attempts });
      return { final: record, retried: false, durationMs };
    }, { tracer, attempt: job.attempts, queueWaitMs: queueWait });
    if (!end) return;
    // the sampler's decision for the whole trace: failed, timed out, retried or slow jobs are kept
    if (o.tracing && traceId) {
      o.tracing.jobEnded({
        traceId, jobId: job.id, status: end.retried ? 'retried' : (end.final?.status ?? 'completed'), serviceType: job.service_type,
        model: job.model, durationMs: end.durationMs, attempt: job.attempts,
      });
    }
    if (end.final) {
      o.onFinished?.(end.final);
      await o.webhook?.deliver(end.final);
    }
  }
}

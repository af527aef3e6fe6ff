/**
 * The simulated fleet: machines (each its own machine_id and log sink —
 * in the default demo, its own agent) running workers with connectors; a
 * job stream through the API service's queue; webhooks; and the scenario's
 * faults on schedule. Machine-level faults are played here: a crash
 * silences a machine's workers (and it comes back after the fault), a
 * backlog stops half the workers; the others act inside the connectors.
 */
import { ConnectorLogger, type LineSink, type Tracing } from '@jobscope/sdk';
import { connectorFor, FaultSet, SERVICE_TYPES } from '../connectors/index.js';
import type { JobQueue, JobRecord } from '../queue/types.js';
import { createRng, type Rng } from '../random/index.js';
import { createWebhookDeliverer } from '../webhook/index.js';
import { QueueKeeper } from './keeper.js';
import { LoadGenerator } from './load.js';
import { scheduleFor, type ScenarioName, type ScheduledFault } from './scenario.js';
import { Sleeper } from './sleeper.js';
import { SimWorker } from './worker.js';

export interface FleetOptions {
  queue: JobQueue;
  machines: number;
  /** Workers per machine: a number, or [min, max] drawn per machine. */
  workersPerMachine: number | readonly [number, number];
  /** Where a machine's workers log (its agent's exporter in the demo). */
  sinkFor(machineId: string): LineSink;
  /** Where the API and webhook services log. */
  serviceSink: LineSink;
  /** Jobs submitted per second. */
  rate: number;
  scenario: ScenarioName;
  seed?: string | number;
  /** Real time per simulated time (1 = real durations). */
  durationScale?: number;
  webhookBase: string | null;
  /** Fault timing (default: first after 20 s, each lasting 2 min). */
  faultDelayMs?: number;
  faultDurationMs?: number;
  /** Called for each fault as it starts (the demo prints it). */
  onFault?(f: ScheduledFault): void;
  /** Submit jobs through the API service at this URL (default: straight on the queue). */
  apiUrl?: string;
  /** Machine health checks every this many ms (default 15 s). */
  healthCheckMs?: number;
  /** Share of jobs scheduled for later (pending first; default 0.02) and of jobs no worker runs (unworkable; default 0). */
  scheduledShare?: number;
  unworkableShare?: number;
  /** A queued job no worker asked for within this long becomes unworkable (default 30 s). */
  unworkableAfterMs?: number;
  /**
   * Tracing per service: 'api-server' (the queue keeper), each machine id
   * (its workers), 'webhook-service'. Undefined: no spans.
   */
  tracingFor?(service: string): Tracing | undefined;
}

export interface FleetStats {
  machines: number; workers: number; submitted: number; completed: number; failed: number;
  /** Scheduled jobs moved to the queue, and jobs failed as unworkable, by the queue keeper. */
  promoted: number; unworkable: number;
  faults: ScheduledFault[];
}

interface Machine { id: string; workers: SimWorker[]; logger: ConnectorLogger; crashed: boolean; sink: LineSink }

export class Fleet {
  readonly #o: FleetOptions;
  readonly #rng: Rng;
  readonly faults = new FaultSet();
  readonly #machines: Machine[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #load: LoadGenerator;
  readonly #api: ConnectorLogger;
  readonly #keeper: QueueKeeper;
  #completed = 0;
  #failed = 0;
  #schedule: ScheduledFault[] = [];
  readonly #sleeper = new Sleeper();

  constructor(o: FleetOptions) {
    this.#o = o;
    this.#rng = createRng(o.seed ?? 'jobscope-demo');
    this.#api = new ConnectorLogger({ machineId: 'api-server', workerId: 'api-server-0', serviceType: 'api', connectorId: 'api', sink: o.serviceSink });
    this.#load = new LoadGenerator({
      queue: o.queue, logger: this.#api, rng: this.#rng.fork('load'), rate: o.rate, webhookBase: o.webhookBase, ...(o.apiUrl ? { apiUrl: o.apiUrl } : {}),
      ...(o.scheduledShare !== undefined ? { scheduledShare: o.scheduledShare } : {}),
      ...(o.unworkableShare !== undefined ? { unworkableShare: o.unworkableShare } : {}),
    });
    const apiTracing = o.tracingFor?.('api-server');
    this.#keeper = new QueueKeeper({
      queue: o.queue, logger: this.#api, ...(apiTracing ? { tracing: apiTracing } : {}),
      ...(o.unworkableAfterMs !== undefined ? { unworkableAfterMs: o.unworkableAfterMs } : {}),
    });
  }

  get machineIds(): string[] { return this.#machines.map((m) => m.id); }

  start(): void {
    for (let i = 0; i < this.#o.machines; i++) {
      const id = `machine-${String(i + 1).padStart(2, '0')}`;
      const sink = this.#o.sinkFor(id);
      const m: Machine = { id, workers: [], crashed: false, sink, logger: new ConnectorLogger({ machineId: id, workerId: `${id}-agent`, serviceType: 'machine', connectorId: 'machine', sink }) };
      this.#machines.push(m);
      this.#startMachine(m);
    }
    this.#load.start();
    this.#keeper.start();
    this.#schedule = scheduleFor(this.#o.scenario, this.machineIds, this.#rng.fork('scenario'), {
      ...(this.#o.faultDelayMs !== undefined ? { delayMs: this.#o.faultDelayMs } : {}),
      ...(this.#o.faultDurationMs !== undefined ? { durationMs: this.#o.faultDurationMs } : {}),
    });
    for (const f of this.#schedule) {
      const t = setTimeout(() => this.#begin(f), f.atMs);
      t.unref();
      this.#timers.push(t);
    }
  }

  async stop(): Promise<void> {
    this.#load.stop();
    this.#keeper.stop();
    this.#sleeper.stop(); // jobs in flight finish at once
    for (const t of this.#timers) clearTimeout(t); // intervals too (same handle type)
    await Promise.all(this.#machines.map(async (m) => {
      await Promise.all(m.workers.map((w) => w.stop()));
      if (!m.crashed) m.logger.machineStopped('shutdown');
    }));
  }

  stats(): FleetStats {
    return {
      machines: this.#machines.length, workers: this.#machines.reduce((n, m) => n + m.workers.length, 0),
      submitted: this.#load.submitted, completed: this.#completed, failed: this.#failed,
      promoted: this.#keeper.promoted, unworkable: this.#keeper.unworkable, faults: [...this.#schedule],
    };
  }

  #startMachine(m: Machine): void {
    m.crashed = false;
    m.logger.machineStarted({ workers: 0 });
    const health = setInterval(() => {
      if (m.crashed) { clearInterval(health); return; }
      const busy = m.workers.filter((w) => w.busy).length;
      m.logger.healthCheck('healthy', { workers: m.workers.length, busy_workers: busy, gpu_oom: this.faults.has('gpu_oom', { machineId: m.id }) });
    }, this.#o.healthCheckMs ?? 15_000);
    health.unref();
    this.#timers.push(health);
    const w = this.#o.workersPerMachine;
    const count = typeof w === 'number' ? w : this.#rng.int(w[0], w[1]);
    const hookTracer = this.#o.tracingFor?.('webhook-service')?.tracer;
    const webhook = this.#o.webhookBase ? createWebhookDeliverer({ logger: this.#api, sleep: this.#sleeper.sleep, ...(hookTracer ? { tracer: hookTracer } : {}) }) : null;
    const tracing = this.#o.tracingFor?.(m.id);
    const scale = this.#o.durationScale ?? 1;
    for (let k = 0; k < count; k++) {
      const workerId = `${m.id}-worker-${k}`;
      // each worker runs three service types, rotating so that every type has workers
      const types = [0, 1, 2].map((j) => SERVICE_TYPES[(k * 3 + j + this.#machines.indexOf(m)) % SERVICE_TYPES.length] as string);
      const worker = new SimWorker({
        queue: this.#o.queue, machineId: m.id, workerId, faults: this.faults, rng: this.#rng.fork(workerId), webhook,
        connectors: [...new Set(types)].map((st) => ({
          connector: connectorFor(st),
          logger: new ConnectorLogger({ machineId: m.id, workerId, serviceType: st, connectorId: `${st}-${k}`, sink: m.sink }),
        })),
        sleep: this.#sleeper.sleep, durationScale: scale, pollMs: 250, heartbeatMs: 15_000, ...(tracing ? { tracing } : {}),
        onFinished: (j: JobRecord) => { if (j.status === 'completed') this.#completed++; else this.#failed++; },
      });
      m.workers.push(worker);
      worker.start();
    }
  }

  #begin(f: ScheduledFault): void {
    this.#o.onFault?.(f);
    const scope = { ...(f.machineId ? { machineId: f.machineId } : {}), ...(f.model ? { model: f.model } : {}) };
    if (f.name === 'new_error') this.#api.serviceEvent('deploy', 'Deployed a new worker image', { version: `v1.${this.#rng.int(10, 99)}.0` });
    this.faults.activate(f.name, { ...scope, durationMs: f.durationMs });
    const m = this.#machines.find((x) => x.id === f.machineId);
    if (f.name === 'machine_crash' && m) {
      m.crashed = true;
      for (const w of m.workers) w.crash();
      m.workers = [];
      const t = setTimeout(() => this.#startMachine(m), f.durationMs);
      t.unref();
      this.#timers.push(t);
    }
    if (f.name === 'backlog') {
      const paused: Machine[] = [];
      for (const x of this.#machines) {
        const half = x.workers.splice(0, Math.ceil(x.workers.length / 2));
        void Promise.all(half.map((w) => w.stop()));
        paused.push(x);
      }
      const t = setTimeout(() => { for (const x of paused) if (!x.crashed) this.#topUp(x); }, f.durationMs);
      t.unref();
      this.#timers.push(t);
    }
  }

  /** Restarts a machine's workers after a backlog (scaled back up). */
  #topUp(m: Machine): void {
    const before = m.workers;
    m.workers = [];
    void Promise.all(before.map((w) => w.stop())).then(() => this.#startMachine(m));
  }
}

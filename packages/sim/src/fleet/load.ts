/**
 * The job stream of the simulated fleet: submissions through the API
 * service's queue at `rate` jobs/s (Poisson arrivals), a mix of service
 * types and models, priorities and a webhook for most jobs.
 */
import type { ConnectorLogger } from '@jobscope/sdk';
import { connectorFor, SERVICE_TYPES } from '../connectors/index.js';
import { submittedMeta } from '../api/app.js';
import type { JobQueue, JobSpec } from '../queue/types.js';
import type { Rng } from '../random/index.js';

const MIX: Readonly<Record<string, number>> = { comfyui: 0.35, 'openai-text': 0.2, 'openai-image': 0.1, a1111: 0.15, simulation: 0.1, rest: 0.1 };

export interface LoadOptions {
  queue: JobQueue;
  /** The API service's logger (job_submitted). */
  logger: ConnectorLogger;
  rng: Rng;
  /** Jobs per second (Poisson). */
  rate: number;
  webhookBase: string | null;
  serviceTypes?: readonly string[];
  /** Submit through the API service over HTTP (it logs job_submitted); else straight on the queue. */
  apiUrl?: string;
  /** Share of jobs scheduled to run 2–10 s later (status pending until then). Default 0.02. */
  scheduledShare?: number;
  /** Share of jobs of a service type no worker runs (they end unworkable). Default 0. */
  unworkableShare?: number;
}

/** The service type nobody in the simulated fleet runs. */
export const UNRUNNABLE_SERVICE_TYPE = 'video-upscale';

export class LoadGenerator {
  readonly #o: LoadOptions;
  #timer: NodeJS.Timeout | null = null;
  #submitted = 0;
  #errors = 0;

  constructor(o: LoadOptions) {
    this.#o = o;
  }

  get submitted(): number { return this.#submitted; }
  get errors(): number { return this.#errors; }

  start(): void {
    if (this.#timer || this.#o.rate <= 0) return;
    const next = (): void => {
      const gap = -Math.log(1 - this.#o.rng.next()) / this.#o.rate * 1000;
      this.#timer = setTimeout(() => { void this.submitOne().finally(next); }, gap);
      this.#timer.unref();
    };
    next();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async submitOne(): Promise<void> {
    const o = this.#o;
    const types = o.serviceTypes ?? SERVICE_TYPES;
    const weights: Record<string, number> = {};
    for (const t of types) weights[t] = MIX[t] ?? 0.1;
    const unrunnable = (o.unworkableShare ?? 0) > 0 && o.rng.chance(o.unworkableShare ?? 0);
    const serviceType = unrunnable ? UNRUNNABLE_SERVICE_TYPE : o.rng.weighted(weights);
    const models = unrunnable ? ['realesrgan-x4'] : connectorFor(serviceType).models;
    try {
      const spec: JobSpec = {
        service_type: serviceType,
        model: models.length > 0 ? o.rng.pick(models as string[]) : '',
        priority: o.rng.chance(0.1) ? 5 : 0,
        max_retries: 3,
        payload: { prompt: `demo job ${this.#submitted}` },
        ...(o.webhookBase && o.rng.chance(0.8) ? { webhook_url: `${o.webhookBase}/hooks/demo` } : {}),
        ...(o.rng.chance(o.scheduledShare ?? 0.02) ? { delay_ms: o.rng.int(2_000, 10_000) } : {}),
      };
      if (o.apiUrl) {
        const r = await fetch(`${o.apiUrl}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
        const job = (await r.json()) as { id?: string };
        if (r.status !== 201 || !job.id) throw new Error(`API answered ${r.status}`);
        // a client changes its mind now and then (1 %): the job is cancelled, wherever it is by then
        if (o.rng.chance(0.01)) {
          const t = setTimeout(() => { void fetch(`${o.apiUrl}/api/jobs/${job.id}`, { method: 'DELETE' }).then((x) => x.arrayBuffer()).catch(() => {}); }, 50);
          t.unref();
        }
      } else {
        const job = await o.queue.submit(spec);
        o.logger.jobSubmitted(job.id, submittedMeta(job));
      }
      this.#submitted++;
    } catch {
      this.#errors++;
    }
  }
}

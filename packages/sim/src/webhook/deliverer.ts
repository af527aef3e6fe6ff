/**
 * The webhook service: POSTs a finished job to its webhook_url, retrying
 * 5xx, 429 and network errors with exponential backoff and full jitter, and
 * logs `webhook_delivered` (endpoint, status_code, attempt, duration_ms) or,
 * after the last attempt, `webhook_failed`. With a tracer, each attempt is
 * an HTTP client span (`POST`, http.request.resend_count on retries) in the
 * job's trace (its traceparent), and the log lines carry it.
 */
import type { Tracer } from '@opentelemetry/api';
import { traceWebhook, type ConnectorLogger } from '@jobscope/sdk';
import { NO_TRACER } from '../tracing/no-tracer.js';
import type { JobRecord } from '../queue/types.js';

export interface WebhookOptions {
  logger: ConnectorLogger;
  /** Attempts in all (default 4). */
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Waits between attempts (the fleet may scale time). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The webhook service's tracer (default: no spans). */
  tracer?: Tracer;
}

export interface WebhookDeliverer {
  /** True when delivered. Never throws. */
  deliver(job: JobRecord): Promise<boolean>;
}

export function createWebhookDeliverer(o: WebhookOptions): WebhookDeliverer {
  const maxAttempts = o.maxAttempts ?? 4;
  const initial = o.initialDelayMs ?? 200;
  const maxDelay = o.maxDelayMs ?? 10_000;
  const timeoutMs = o.timeoutMs ?? 5_000;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = o.random ?? Math.random;
  const tracer = o.tracer ?? NO_TRACER;
  return {
    async deliver(job) {
      if (!job.webhook_url) return false;
      const body = JSON.stringify({ job_id: job.id, status: job.status, service_type: job.service_type, model: job.model, result: job.result, error: job.error || undefined });
      let status = 0;
      let lastError = '';
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const t0 = performance.now();
        try {
          const delivered = await traceWebhook(job, job.webhook_url, async () => {
            const r = await fetch(job.webhook_url, {
              method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs),
            });
            await r.arrayBuffer();
            status = r.status;
            if (r.ok) o.logger.webhookDelivered(job.id, { endpoint: job.webhook_url, status_code: status, attempt, duration_ms: Math.round(performance.now() - t0) });
            return r;
          }, { tracer, attempt, resendCount: attempt - 1 });
          if (delivered.ok) return true;
          lastError = `webhook endpoint answered ${status}`;
          if (status < 500 && status !== 429) break; // the endpoint refuses it: retrying will not help
        } catch (e) {
          status = 0;
          lastError = (e as Error).name === 'TimeoutError' ? `webhook timed out after ${timeoutMs} ms` : `webhook request failed: ${(e as Error).message}`;
        }
        if (attempt < maxAttempts) await sleep(Math.round(random() * Math.min(maxDelay, initial * 2 ** (attempt - 1))));
      }
      o.logger.webhookFailed(job.id, new Error(lastError), { endpoint: job.webhook_url, status_code: status, attempts: maxAttempts });
      return false;
    },
  };
}

/**
 * The simulated fleet's API service: clients submit jobs and read them back.
 *   POST /api/jobs      {service_type, model?, payload?, priority?, max_retries?, webhook_url?, delay_ms?} → 201 the job
 *                       (with delay_ms the job is `pending` until due; job_submitted then says status=pending)
 *   GET  /api/jobs/:id  → the job record (404 when unknown)
 *   DELETE /api/jobs/:id → cancels a job not yet finished (409 when it is; job_cancelled)
 * Each submission is logged as `job_submitted` through ConnectorLogger, as
 * the original API server did; the queue does the rest.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { MAX_DELAY_MS } from '../queue/job-record.js';
import { JobscopeError } from '@jobscope/core';
import { extractJobContext, traceSubmit, type ConnectorLogger, type Tracing } from '@jobscope/sdk';
import { NO_TRACER } from '../tracing/no-tracer.js';
import type { JobQueue, JobRecord, JobSpec } from '../queue/types.js';

const MAX_BODY = 256 * 1024;

export interface ApiOptions {
  queue: JobQueue;
  logger: ConnectorLogger;
  /** The API service's tracing: each submission is a `send jobs:pending` PRODUCER span whose context travels with the job. */
  tracing?: Tracing;
}

export function createApiApp(o: ApiOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY });
  const tracer = o.tracing?.tracer ?? NO_TRACER;
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err instanceof JobscopeError ? err.status : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    reply.code(status).send({ error: err instanceof JobscopeError ? err.code : 'JS_BAD_REQUEST', message: status >= 500 ? 'internal error' : err.message });
  });

  app.post('/api/jobs', async (req, reply) => {
    const spec = jobSpec(req.body);
    // a client's own traceparent (if any) is the parent; the submit span's context replaces it on the job
    const parent = extractJobContext(spec);
    const carrier: Record<string, unknown> = { service_type: spec.service_type, model: spec.model };
    const job = await traceSubmit(carrier, async (_span, set) => {
      const submitted = await o.queue.submit({
        ...spec,
        ...(typeof carrier.traceparent === 'string' ? { traceparent: carrier.traceparent } : {}),
        ...(typeof carrier.tracestate === 'string' ? { tracestate: carrier.tracestate } : {}),
      });
      set({ jobId: submitted.id });
      o.logger.jobSubmitted(submitted.id, submittedMeta(submitted, await o.queue.depth()));
      return submitted;
    }, { tracer, parent });
    reply.code(201);
    return job;
  });

  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (req) => {
    const job = await o.queue.get(req.params.id);
    if (!job) throw new JobscopeError('JS_NOT_FOUND', `no job ${req.params.id}`);
    return job;
  });
  app.delete<{ Params: { id: string } }>('/api/jobs/:id', async (req, reply) => {
    const job = await o.queue.get(req.params.id);
    if (!job) throw new JobscopeError('JS_NOT_FOUND', `no job ${req.params.id}`);
    if (!(await o.queue.cancel(job.id))) {
      reply.code(409);
      return { error: 'JS_CONFLICT', message: `job ${job.id} is already ${job.status}` };
    }
    o.logger.jobCancelled(job.id, 'cancelled by the client', { service_type: job.service_type, model: job.model, previous_status: job.status });
    const traceId = /^00-([0-9a-f]{32})-/.exec(job.traceparent)?.[1];
    if (traceId) o.tracing?.jobEnded({ traceId, jobId: job.id, status: 'cancelled', serviceType: job.service_type, model: job.model });
    return await o.queue.get(job.id);
  });
  return app;
}

/** The fields of job_submitted: a delayed job says status=pending (core STATUS_OVERRIDES) and when it runs. */
export function submittedMeta(job: JobRecord, queueDepth?: number): Record<string, unknown> {
  return {
    service_type: job.service_type, model: job.model, priority: job.priority, max_retries: job.max_retries,
    ...(queueDepth !== undefined ? { queue_depth: queueDepth } : {}),
    ...(job.status === 'pending' ? { status: 'pending', delay_ms: job.run_at - job.submitted_at, run_at: new Date(job.run_at).toISOString() } : {}),
  };
}

/** Validates a submission body (400 with the field named). */
export function jobSpec(body: unknown): JobSpec {
  const bad = (m: string): never => { throw new JobscopeError('JS_BAD_REQUEST', m); };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) bad('the body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.service_type !== 'string' || b.service_type.trim() === '') bad('service_type is required (a non-empty string)');
  const spec: JobSpec = { service_type: b.service_type as string };
  if (b.model !== undefined) spec.model = typeof b.model === 'string' ? b.model : bad('model must be a string');
  if (b.payload !== undefined) {
    spec.payload = b.payload !== null && typeof b.payload === 'object' && !Array.isArray(b.payload) ? b.payload as Record<string, unknown> : bad('payload must be an object');
  }
  if (b.priority !== undefined) spec.priority = Number.isInteger(b.priority) ? b.priority as number : bad('priority must be an integer');
  if (b.max_retries !== undefined) {
    spec.max_retries = Number.isInteger(b.max_retries) && (b.max_retries as number) >= 0 && (b.max_retries as number) <= 100
      ? b.max_retries as number : bad('max_retries must be an integer 0-100');
  }
  if (b.delay_ms !== undefined) {
    spec.delay_ms = Number.isInteger(b.delay_ms) && (b.delay_ms as number) >= 0 && (b.delay_ms as number) <= MAX_DELAY_MS
      ? b.delay_ms as number : bad(`delay_ms must be an integer 0-${MAX_DELAY_MS}`);
  }
  if (b.webhook_url !== undefined) {
    if (typeof b.webhook_url !== 'string') bad('webhook_url must be a string');
    try {
      const u = new URL(b.webhook_url as string);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') bad('webhook_url must be http(s)');
    } catch (e) {
      if (e instanceof JobscopeError) throw e;
      bad('webhook_url must be a URL');
    }
    spec.webhook_url = b.webhook_url as string;
  }
  return spec;
}

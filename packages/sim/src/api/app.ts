/**
 * The simulated fleet's API service: clients submit jobs and read them back.
 *   POST /api/jobs      {service_type, model?, payload?, priority?, max_retries?, webhook_url?} → 201 the job
 *   GET  /api/jobs/:id  → the job record (404 when unknown)
 *   DELETE /api/jobs/:id → cancels a job not yet finished (409 when it is; job_cancelled)
 * Each submission is logged as `job_submitted` through ConnectorLogger, as
 * the original API server did; the queue does the rest.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import type { ConnectorLogger } from '@jobscope/sdk';
import type { JobQueue, JobSpec } from '../queue/types.js';

const MAX_BODY = 256 * 1024;

export interface ApiOptions {
  queue: JobQueue;
  logger: ConnectorLogger;
}

export function createApiApp(o: ApiOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err instanceof JobscopeError ? err.status : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    reply.code(status).send({ error: err instanceof JobscopeError ? err.code : 'JS_BAD_REQUEST', message: status >= 500 ? 'internal error' : err.message });
  });

  app.post('/api/jobs', async (req, reply) => {
    const spec = jobSpec(req.body);
    const job = await o.queue.submit(spec);
    o.logger.jobSubmitted(job.id, {
      service_type: job.service_type, model: job.model, priority: job.priority, max_retries: job.max_retries,
      queue_depth: await o.queue.depth(),
    });
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
    return await o.queue.get(job.id);
  });
  return app;
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

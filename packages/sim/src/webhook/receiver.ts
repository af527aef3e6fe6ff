/**
 * A customer's webhook endpoint for the demo: POST /hooks/<name> answers 200,
 * or (at failureRate) 500/503, so that deliveries are sometimes retried and
 * sometimes fail for good. Counts what it received.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export interface WebhookReceiver {
  app: FastifyInstance;
  received(): number;
}

export function createWebhookReceiver(opts: { failureRate?: number; random?: () => number } = {}): WebhookReceiver {
  const failureRate = opts.failureRate ?? 0.05;
  const random = opts.random ?? Math.random;
  let received = 0;
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/hooks/:name', async (_req, reply) => {
    if (random() < failureRate) {
      reply.code(random() < 0.5 ? 500 : 503);
      return { error: 'temporarily unavailable' };
    }
    received++;
    return { ok: true };
  });
  return { app, received: () => received };
}

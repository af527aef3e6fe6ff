/**
 * Bearer-token auth for an HTTP listener (the server's API and ingest, the
 * agent's receivers): every route but /healthz needs `Authorization: Bearer
 * <token>`. Constant-time compare. No token configured → no check (the
 * callers refuse to listen off loopback without one).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export function registerAuth(app: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = Buffer.from(`Bearer ${token}`);
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz' || req.url.startsWith('/healthz?')) return;
    const got = Buffer.from(String(req.headers.authorization ?? ''));
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
      reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'JS_UNAUTHORIZED', message: 'a valid Authorization: Bearer token is required' });
    }
  });
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Bearer-token auth for every route but /healthz. Constant-time compare.
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

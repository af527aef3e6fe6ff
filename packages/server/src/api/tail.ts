/**
 * GET /api/tail?q=&dataset= → Server-Sent Events of log rows as they are
 * accepted (before they reach storage, so they show within a second).
 *   event: logs     data: [LogView, …]   (batched every 250 ms)
 *   event: dropped  data: N              (this client was too slow; N rows skipped)
 * Each client has a bounded queue; a slow client loses its oldest rows, it
 * never holds ingest back. Subscribers are limited in number.
 */
import type { FastifyInstance } from 'fastify';
import { JobscopeError, type LogRow } from '@jobscope/core';
import type { TailHub } from '../ingest/tail-hub.js';
import { compileMatcher, compileQuery, LOGS_TABLE } from '../query/index.js';
import { logRowToView } from './log-view.js';
import { qs } from './params.js';

const MAX_SUBSCRIBERS = 100;
const MAX_QUEUED = 2000;
const FLUSH_MS = 250;
const HEARTBEAT_MS = 15_000;

export function tailRoutes(hub: TailHub) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/tail', async (req, reply) => {
      const p = qs(req.query);
      const q = p.q ?? '';
      compileQuery(q, LOGS_TABLE); // validates: a syntax error is a 400 before the stream starts
      const match = compileMatcher(q);
      const dataset = p.dataset;
      if (hub.size >= MAX_SUBSCRIBERS) throw new JobscopeError('JS_UNAVAILABLE', 'too many live tail clients', { retryAfter: 10 });

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(': connected\n\n');
      let queue: LogRow[] = [];
      let dropped = 0;
      const unsubscribe = hub.subscribe({
        match: (r) => (!dataset || r.Dataset === dataset) && match(r),
        push(rows) {
          queue.push(...rows);
          if (queue.length > MAX_QUEUED) {
            dropped += queue.length - MAX_QUEUED;
            queue = queue.slice(queue.length - MAX_QUEUED);
          }
        },
      });
      const flush = setInterval(() => {
        if (res.writableNeedDrain) return; // the client is behind: let the queue bound do its work
        if (dropped > 0) { res.write(`event: dropped\ndata: ${dropped}\n\n`); dropped = 0; }
        if (queue.length === 0) return;
        const batch = queue;
        queue = [];
        batch.sort((a, b) => (BigInt(a.Timestamp) < BigInt(b.Timestamp) ? -1 : 1));
        res.write(`event: logs\ndata: ${JSON.stringify(batch.map(logRowToView))}\n\n`);
      }, FLUSH_MS);
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      const stop = (): void => {
        clearInterval(flush);
        clearInterval(heartbeat);
        unsubscribe();
      };
      res.on('close', stop);
      res.on('error', stop);
    });
  };
}

/** GET /healthz: liveness plus the write path's state; GET /api/stats/ingest: counters. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { IngestWriter } from '../ingest/writer.js';
import type { IngestCounters } from '../ingest/consumer.js';
import type { TailHub } from '../ingest/tail-hub.js';

export function healthRoutes(deps: { store: Store; writer: IngestWriter; counters: IngestCounters; tail: TailHub }) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/healthz', async () => {
      const w = deps.writer.stats();
      return {
        status: w.flushErrors > 0 && w.pendingRecords > 0 && w.lastFlushError ? 'degraded' : 'ok',
        storage: { kind: deps.store.kind },
        ingest: { ...deps.counters, ...w },
        tailSubscribers: deps.tail.size,
      };
    });
  };
}

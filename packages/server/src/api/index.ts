/** The query API: one Fastify plugin per resource. */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import type { TailHub } from '../ingest/tail-hub.js';
import { logsRoutes } from './logs.js';
import { jobsRoutes } from './jobs.js';
import { statsRoutes } from './stats.js';
import { tailRoutes } from './tail.js';
import { tracesRoutes } from './traces.js';
import { spansRoutes } from './spans.js';
import { serviceMapRoutes } from './service-map.js';
import { overviewRoutes } from './overview.js';
import { machinesRoutes } from './machines.js';
import { completionRoutes } from './completion.js';
import { facetsRoutes } from './facets.js';

export function queryRoutes(deps: { store: Store; tail: TailHub }) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(logsRoutes(deps.store));
    await app.register(jobsRoutes(deps.store));
    await app.register(statsRoutes(deps.store));
    await app.register(tailRoutes(deps.tail));
    await app.register(tracesRoutes(deps.store));
    await app.register(spansRoutes(deps.store));
    await app.register(serviceMapRoutes(deps.store));
    // The web UI's pages (issue #7): overview, machines, search completion, facets.
    await app.register(overviewRoutes(deps.store));
    await app.register(machinesRoutes(deps.store));
    await app.register(completionRoutes(deps.store));
    await app.register(facetsRoutes(deps.store));
  };
}

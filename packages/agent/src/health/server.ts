/**
 * The agent's health listener (:2020): GET /healthz (JSON status, buffer and
 * delivery state) and GET /metrics (Prometheus text).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAuth } from '@jobscope/pipeline';
import type { AgentStats } from '../agent.js';
import type { AgentConfig } from '../config/index.js';
import { agentRegistry } from './metrics.js';

/** A destination is reported lagging past this. */
const LAG_WARN_MS = 60_000;

export async function startHealthServer(config: AgentConfig, stats: () => AgentStats): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024, forceCloseConnections: true });
  registerAuth(app, config.authToken);
  const registry = agentRegistry(stats);
  app.get('/healthz', async () => {
    const st = stats();
    const problems: string[] = [];
    for (const [name, e] of Object.entries(st.exporters)) {
      if (e.lagMs > LAG_WARN_MS) problems.push(`${name}: delivery lag ${Math.round(e.lagMs / 1000)} s${e.lastError ? ` (${e.lastError})` : ''}`);
    }
    if (st.buffer.bytesOnDisk > 0.9 * st.buffer.maxBytes) problems.push(`disk buffer ${Math.round((100 * st.buffer.bytesOnDisk) / st.buffer.maxBytes)} % full`);
    return {
      status: problems.length === 0 ? 'ok' : 'degraded',
      problems,
      buffer: { bytes: st.buffer.bytesOnDisk, maxBytes: st.buffer.maxBytes, segments: st.buffer.segments, dropped: st.buffer.droppedRecords, corrupt: st.buffer.corruptRecords },
      intake: st.intake,
      exporters: st.exporters,
      receivers: st.receivers,
      processors: st.processors,
      memory: process.memoryUsage(),
    };
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return await registry.metrics();
  });
  return app;
}

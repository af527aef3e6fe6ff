/**
 * The one-command demo: a queue (Redis when there is one), the API and
 * webhook services, and a fleet of machines whose workers log through the
 * SDK's exporter — in the default demo to their machine's own agent
 * (in-process, ephemeral ports), which delivers to the server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAgent, defaultAgentConfig, type Agent } from '@jobscope/agent';
import { createExporter, type Exporter, type LineSink } from '@jobscope/sdk';
import { ConnectorLogger } from '@jobscope/sdk';
import { createApiApp } from '../api/app.js';
import { Fleet } from '../fleet/fleet.js';
import type { ScenarioName, ScheduledFault } from '../fleet/scenario.js';
import { createWebhookReceiver } from '../webhook/index.js';
import { chooseQueue } from './queue-choice.js';

export interface DemoOptions {
  serverUrl: string;
  token?: string;
  /** Where agent buffers and exporter spools live. */
  dataDir: string;
  machines?: number;
  workersPerMachine?: number | readonly [number, number];
  rate?: number;
  scenario?: ScenarioName;
  /** One agent per machine (default true); false: workers send to the server directly. */
  agents?: boolean;
  redisUrl?: string;
  /** Port of the API service (default: any free one). */
  apiPort?: number;
  seed?: string;
  durationScale?: number;
  faultDelayMs?: number;
  faultDurationMs?: number;
  onFault?(f: ScheduledFault): void;
}

export interface Demo {
  fleet: Fleet;
  /** The API service: POST /api/jobs, GET /api/jobs/:id. */
  apiUrl: string;
  queueDescription: string;
  agents: string[];
  webhookUrl: string;
  stop(): Promise<void>;
}

export async function startDemo(o: DemoOptions): Promise<Demo> {
  const q = await chooseQueue(o.redisUrl);
  const receiver = createWebhookReceiver({ failureRate: 0.05 });
  const webhookUrl = await receiver.app.listen({ host: '127.0.0.1', port: 0 });
  const agents: Agent[] = [];
  const exporters: Exporter[] = [];
  const headers: Record<string, string> = o.token ? { authorization: `Bearer ${o.token}` } : {};
  const useAgents = o.agents ?? true;
  const exporterTo = async (machineId: string, serviceName: string): Promise<LineSink> => {
    let endpoint = `${o.serverUrl}/v1/logs`;
    if (useAgents) {
      const c = defaultAgentConfig();
      c.bufferDir = join(o.dataDir, 'agents', machineId);
      c.http.enabled = false;
      c.forward.enabled = false;
      c.otlp.port = 0;
      c.health.port = 0;
      c.enrich = { machineId };
      c.exporters = [{ name: 'server', endpoint: o.serverUrl, headers, batchIdHeader: 'x-jobscope-batch-id', compression: 'gzip' }];
      c.quiet = true;
      const agent = createAgent(c);
      const addr = await agent.start();
      agents.push(agent);
      endpoint = `http://${addr.otlp}/v1/logs`;
    }
    const spoolDir = join(o.dataDir, 'spool', machineId);
    mkdirSync(spoolDir, { recursive: true });
    const e = createExporter({ endpoint, headers: useAgents ? {} : headers, serviceName, spoolDir, resource: { machine_id: machineId } });
    exporters.push(e);
    return e;
  };
  const sinks = new Map<string, LineSink>();
  const machines = o.machines ?? 3;
  // each exporter (one per machine here, one per process in real life) hooks process exit to spool
  process.setMaxListeners(Math.max(process.getMaxListeners(), machines + 16));
  for (let i = 0; i < machines; i++) {
    const id = `machine-${String(i + 1).padStart(2, '0')}`;
    sinks.set(id, await exporterTo(id, `${id}-workers`));
  }
  const serviceSink = await exporterTo('api-server', 'api-server');
  const api = createApiApp({
    queue: q.queue,
    logger: new ConnectorLogger({ machineId: 'api-server', workerId: 'api-server-http', serviceType: 'api', connectorId: 'api', sink: serviceSink }),
  });
  const apiUrl = await api.listen({ host: '127.0.0.1', port: o.apiPort ?? 0 });
  const fleet = new Fleet({
    apiUrl,
    queue: q.queue, machines, workersPerMachine: o.workersPerMachine ?? [2, 4],
    sinkFor: (id) => sinks.get(id) as LineSink, serviceSink, rate: o.rate ?? 2, scenario: o.scenario ?? 'random',
    webhookBase: webhookUrl, durationScale: o.durationScale ?? 0.25,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.faultDelayMs !== undefined ? { faultDelayMs: o.faultDelayMs } : {}),
    ...(o.faultDurationMs !== undefined ? { faultDurationMs: o.faultDurationMs } : {}),
    ...(o.onFault ? { onFault: o.onFault } : {}),
  });
  fleet.start();
  let stopping: Promise<void> | null = null;
  return {
    fleet, apiUrl, queueDescription: q.description, agents: agents.map((_, i) => `agent ${i + 1}`), webhookUrl,
    stop() {
      stopping ??= (async () => {
        await fleet.stop();
        await api.close();
        await Promise.allSettled(exporters.map((e) => e.close()));
        await Promise.allSettled(agents.map((a) => a.close({ deadlineMs: 3000 })));
        await receiver.app.close();
        await q.stop();
      })();
      return stopping;
    },
  };
}

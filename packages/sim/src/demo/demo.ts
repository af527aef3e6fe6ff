/**
 * The one-command demo: a queue (Redis when there is one), the API and
 * webhook services, and a fleet of machines whose workers log through the
 * SDK's exporter — in the default demo to their machine's own agent
 * (in-process, ephemeral ports), which delivers to the server.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAgent, defaultAgentConfig, type Agent } from '@jobscope/agent';
import { createExporter, initTracing, MemoryDecisionChannel, type DecisionChannel, type Exporter, type JobscopeTracing, type LineSink } from '@jobscope/sdk';
import { ConnectorLogger } from '@jobscope/sdk';
import { RedisDecisionChannel } from '../tracing/redis-decisions.js';
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
  /** Share of jobs scheduled for later (default 0.02) and of jobs of a type no worker runs (default 0.005). */
  scheduledShare?: number;
  unworkableShare?: number;
  /** A queued job no worker asks for within this long ends unworkable (default 30 s). */
  unworkableAfterMs?: number;
  /** Traces of the jobs (default true), and the share of normal jobs whose trace is kept (default 0.1; failed, retried and slow jobs are always kept). */
  tracing?: boolean;
  traceRatio?: number;
}

export interface Demo {
  fleet: Fleet;
  /** Tracing per service ('api-server', 'webhook-service', each machine id); empty when tracing is off. */
  tracings: ReadonlyMap<string, JobscopeTracing>;
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
  /** Where each service's spans go (its machine's agent, or the server). */
  const traceEndpoints = new Map<string, string>();
  const exporterTo = async (machineId: string, serviceName: string): Promise<LineSink> => {
    let endpoint = `${o.serverUrl}/v1/logs`;
    traceEndpoints.set(machineId, `${o.serverUrl}/v1/traces`);
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
      traceEndpoints.set(machineId, `http://${addr.otlp}/v1/traces`);
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
  // One Tracing per service, as each would be its own process; they share keep/drop decisions through Redis.
  let channel: DecisionChannel | null = null;
  const tracings = new Map<string, JobscopeTracing>();
  if (o.tracing ?? true) {
    channel = q.redisUrl ? new RedisDecisionChannel(q.redisUrl) : new MemoryDecisionChannel();
    if (channel instanceof RedisDecisionChannel) await channel.ready();
    const services: [string, string][] = [['api-server', 'api-server'], ['webhook-service', 'api-server'], ...[...sinks.keys()].map((id): [string, string] => [id, id])];
    for (const [service, machine] of services) {
      const spoolDir = join(o.dataDir, 'spool-traces', service);
      mkdirSync(spoolDir, { recursive: true });
      tracings.set(service, initTracing({
        registerGlobal: false, contextManager: true, endpoint: traceEndpoints.get(machine) as string,
        headers: useAgents ? {} : headers, serviceName: service === machine && service !== 'api-server' ? `${service}-workers` : service,
        resource: { machine_id: machine }, spoolDir, sampling: { ratio: o.traceRatio ?? 0.1, channel },
      }));
    }
  }
  const apiTracing = tracings.get('api-server');
  const api = createApiApp({
    queue: q.queue,
    logger: new ConnectorLogger({ machineId: 'api-server', workerId: 'api-server-http', serviceType: 'api', connectorId: 'api', sink: serviceSink }),
    ...(apiTracing ? { tracing: apiTracing } : {}),
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
    unworkableShare: o.unworkableShare ?? 0.005,
    tracingFor: (service) => tracings.get(service),
    ...(o.scheduledShare !== undefined ? { scheduledShare: o.scheduledShare } : {}),
    ...(o.unworkableAfterMs !== undefined ? { unworkableAfterMs: o.unworkableAfterMs } : {}),
  });
  fleet.start();
  let stopping: Promise<void> | null = null;
  return {
    fleet, tracings, apiUrl, queueDescription: q.description, agents: agents.map((_, i) => `agent ${i + 1}`), webhookUrl,
    stop() {
      stopping ??= (async () => {
        await fleet.stop();
        await api.close();
        // spans first (to the agents), then logs; held spans of undecided traces are dropped and counted
        await Promise.allSettled([...tracings.values()].map((t) => t.shutdown(5000)));
        await Promise.allSettled(exporters.map((e) => e.close()));
        // agents deliver what they hold (under load, a backlog of seconds); what is left stays in their disk buffers for the next start
        await Promise.allSettled(agents.map((a) => a.close({ deadlineMs: 10_000, drain: true })));
        await receiver.app.close();
        if (channel instanceof RedisDecisionChannel) await channel.close();
        await q.stop();
      })();
      return stopping;
    },
  };
}

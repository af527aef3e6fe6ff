/**
 * The agent: receivers → intake (processors → disk buffer) → one exporter
 * per destination, plus the health/metrics listener. Composition only; each
 * part lives in @jobscope/pipeline with its own config.
 *
 *   fluent_http :9880 ─┐
 *   otlp_http   :4318 ─┤                                    ┌─► otlp_http exporter "server" ─► server
 *   forward    :24224 ─┼─► canonical → enrich → redact → filter ─► disk buffer ─┤   (own cursor each)
 *   file_tail (globs) ─┘                                    └─► otlp_http exporter "…" ─► any OTLP backend
 *
 * Delivery: a sender is acknowledged once its data is in the disk buffer
 * (written; fsync per the policy); each destination then receives it at
 * least once, under batch ids stable across restarts, which the Jobscope
 * server stores once. docs/agent.md states the whole guarantee.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createCanonicalProcessor, createEnrichProcessor, createFileTailReceiver, createFilterProcessor, createForwardReceiver,
  createOtlpHttpExporter, createRedactProcessor, DiskLog, fluentHttpReceiver, otlpHttpReceiver, registerAuth,
  type DiskLogStats, type FileTailReceiver, type ForwardReceiver, type OtlpHttpExporter, type OtlpHttpExporterStats,
  type Processor, type Telemetry,
} from '@jobscope/pipeline';
import type { AgentConfig } from './config/index.js';
import { startHealthServer } from './health/server.js';
import { instanceId } from './instance-id.js';
import { Intake, type IntakeStats } from './intake.js';
import { AGENT_VERSION } from './version.js';

export interface AgentAddresses {
  http?: string;
  otlp?: string;
  forward?: string;
  health?: string;
}

export interface AgentStats {
  intake: IntakeStats;
  buffer: DiskLogStats & { maxBytes: number };
  exporters: Record<string, OtlpHttpExporterStats>;
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
}

export interface Agent {
  readonly config: AgentConfig;
  /** Opens the buffer, starts exporters, then listeners; resolves with the bound addresses. */
  start(): Promise<AgentAddresses>;
  stats(): AgentStats;
  /**
   * Stops taking data, lets exporters finish within deadlineMs (with
   * `drain`: deliver everything buffered, within deadlineMs), closes the
   * buffer. What is not delivered stays on disk for the next start. Idempotent.
   */
  close(opts?: { deadlineMs?: number; drain?: boolean }): Promise<void>;
}

type StatsOf = { name: string; stats(): unknown };

export function createAgent(config: AgentConfig): Agent {
  let log: DiskLog | null = null;
  let intake: Intake | null = null;
  const processors: (Processor & { stats(): unknown })[] = [];
  const apps: FastifyInstance[] = [];
  let forward: ForwardReceiver | null = null;
  let tail: FileTailReceiver | null = null;
  const exporters: OtlpHttpExporter[] = [];
  const exporterNames: string[] = [];
  const receiverStats: StatsOf[] = [];
  let health: FastifyInstance | null = null;
  let closing: Promise<void> | null = null;

  const stats = (): AgentStats => {
    const exp: Record<string, OtlpHttpExporterStats> = {};
    exporters.forEach((e, i) => { exp[exporterNames[i] as string] = e.stats(); });
    const rec: Record<string, unknown> = {};
    for (const r of receiverStats) rec[r.name] = r.stats();
    const proc: Record<string, unknown> = {};
    for (const p of processors) proc[p.name] = p.stats();
    return {
      intake: intake?.stats() ?? { recordsIn: {}, refusedFull: 0, duplicateBatches: 0, rejected: 0 },
      buffer: { ...(log?.stats() ?? emptyBufferStats()), maxBytes: config.bufferMaxBytes },
      exporters: exp,
      receivers: rec,
      processors: proc,
    };
  };

  async function start(): Promise<AgentAddresses> {
    await mkdir(config.bufferDir, { recursive: true });
    const id = await instanceId(config.bufferDir);
    log = await DiskLog.open({
      dir: join(config.bufferDir, 'buffer'),
      maxBytes: config.bufferMaxBytes,
      segmentBytes: config.bufferSegmentBytes,
      fsync: config.fsync,
      onFull: config.onFull === 'drop_oldest' ? 'drop_oldest' : 'reject',
      onCorruption: (ev) => warn(`disk buffer: ${ev.records} record(s) lost to corruption in ${ev.segment || 'a missing segment'} (${ev.reason})`),
      onError: (err) => warn(`disk buffer: ${err.message}`),
    });
    processors.push(
      createCanonicalProcessor({ validateSchemas: config.canonical.validateSchemas }),
      createEnrichProcessor({ ...config.enrich, agentVersion: AGENT_VERSION }),
    );
    if (config.redact.enabled) {
      processors.push(createRedactProcessor({
        useDefaults: config.redact.useDefaults, patterns: config.redact.patterns, ...(config.redact.keys ? { keys: config.redact.keys } : {}),
      }));
    }
    if (config.filter.minSeverity || config.filter.rules.length > 0 || config.filter.sample) processors.push(createFilterProcessor(config.filter));
    intake = new Intake(log, processors);

    for (const x of config.exporters) {
      const e = createOtlpHttpExporter(log, {
        name: x.name, endpoint: x.endpoint, headers: x.headers, batchIdHeader: x.batchIdHeader, compression: x.compression, instanceId: id,
      });
      await e.start();
      exporters.push(e);
      exporterNames.push(x.name);
    }

    const addresses: AgentAddresses = {};
    try {
      if (config.http.enabled) {
        const app = listener(config.http.maxBodyBytes);
        await app.register(fluentHttpReceiver(intake.consumerFor('http'), { maxBodyBytes: config.http.maxBodyBytes }));
        addresses.http = await listen(app, config.http.port, 'http');
      }
      if (config.otlp.enabled) {
        const app = listener(config.otlp.maxBodyBytes);
        const consume = intake.consumerWithBatchId('otlp');
        await app.register(otlpHttpReceiver(
          (signal, request, meta) => consume({ signal, request } as Telemetry, meta.batchId),
          { maxBodyBytes: config.otlp.maxBodyBytes },
        ));
        addresses.otlp = await listen(app, config.otlp.port, 'otlp');
      }
      if (config.forward.enabled) {
        forward = createForwardReceiver(intake.consumerFor('forward'), {
          host: config.host, port: config.forward.port, insecure: config.insecure, ...(config.authToken ? { sharedKey: config.authToken } : {}),
        });
        receiverStats.push({ name: 'forward', stats: () => forward?.stats() });
        const a = await forward.listen().catch((e: Error) => { throw new Error(`cannot listen on ${config.host}:${config.forward.port} (forward): ${e.message}`); });
        addresses.forward = `${a.host}:${a.port}`;
      }
      if (config.tail.include.length > 0) {
        tail = createFileTailReceiver(intake.consumerFor('tail'), {
          include: config.tail.include,
          exclude: config.tail.exclude,
          checkpointFile: join(config.bufferDir, 'tail-checkpoints.json'),
          startAt: config.tail.startAt,
          pollIntervalMs: config.tail.pollIntervalMs,
        });
        receiverStats.push({ name: 'tail', stats: () => tail?.stats() });
        await tail.start();
      }
      if (config.health.enabled) {
        health = await startHealthServer(config, stats);
        addresses.health = await listen(health, config.health.port, 'health', config.health.host);
      }
    } catch (e) {
      await close({ deadlineMs: 1000 }).catch(() => {});
      throw e;
    }
    return addresses;
  }

  function listener(bodyLimit: number): FastifyInstance {
    const app = Fastify({ logger: false, bodyLimit, forceCloseConnections: true });
    registerAuth(app, config.authToken);
    apps.push(app);
    return app;
  }

  async function listen(app: FastifyInstance, port: number, name: string, host = config.host): Promise<string> {
    try {
      await app.listen({ host, port });
    } catch (e) {
      throw new Error(`cannot listen on ${host}:${port} (${name}): ${(e as Error).message}`);
    }
    const a = app.server.address();
    return typeof a === 'object' && a ? `${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}` : String(a);
  }

  function warn(msg: string): void {
    if (!config.quiet) process.stderr.write(`jobscope agent: ${msg}\n`);
  }

  function close(opts: { deadlineMs?: number; drain?: boolean } = {}): Promise<void> {
    closing ??= (async () => {
      const deadlineMs = opts.deadlineMs ?? 5000;
      // inputs first (nothing new is accepted), then deliveries, then the buffer
      await Promise.allSettled([...apps.map((a) => a.close()), forward?.close(), tail?.close()]);
      await Promise.allSettled(exporters.map((e) => e.close({ deadlineMs, drain: opts.drain ?? false })));
      await health?.close();
      await log?.close();
    })();
    return closing;
  }

  return { config, start, stats, close };
}

function emptyBufferStats(): DiskLogStats {
  return {
    bytesOnDisk: 0, segments: 0, firstSeq: 0, lastSeq: 0, droppedRecords: 0, droppedSegments: 0,
    corruptRecords: 0, corruptRegions: 0, truncatedBytes: 0, cursors: {},
  };
}

/**
 * The loggers the benchmark compares, each writing the same ten-field
 * record: five identity fields bound once (machine_id, worker_id,
 * service_type, connector_id — plus job_id per call), event_type,
 * duration_ms, model, progress and status, with a time, a level and the
 * message "Job completed":
 *
 *   sdk              ConnectorLogger.jobCompleted() → exporter (worker mode) → OTLP/HTTP
 *   sdk-official     the same with encoder: 'official' (the OpenTelemetry ProtobufLogsSerializer; same bytes)
 *   pino             pino → pino.destination('/dev/null') (pino's own benchmark setup)
 *   winston          winston, timestamp()+json() → Stream transport on /dev/null (the original's stack)
 *   winston+jobscope winston, same format → JobscopeWinstonTransport → exporter (worker mode)
 *   pino+jobscope    pino → pino.transport(@jobscope/sdk/pino) (pino's worker; exporter inline there)
 *   silent           the same loop calling nothing (the harness's own cost)
 *
 * Each lib gives emit(i) and drain(): drain resolves when everything
 * emitted so far has reached its destination (for the exporters: sent and
 * acknowledged), so CPU measured up to it includes all the work.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import pino from 'pino';
import winston from 'winston';
import { createExporter, type Exporter } from '../export/create.js';
import type { ExporterOptions } from '../export/options.js';
import { ConnectorLogger } from '../logger/connector-logger.js';
import { pinoTarget } from '../transports/target.js';
import { JobscopeWinstonTransport } from '../transports/winston.js';

export const LIBS = ['silent', 'sdk', 'sdk-official', 'pino', 'winston', 'winston+jobscope', 'pino+jobscope'] as const;
export type LibName = (typeof LIBS)[number];

export interface Lib {
  emit(i: number): void;
  /** Resolves when all emitted records reached their destination (or timeoutMs passed). */
  drain(emitted: number, timeoutMs?: number): Promise<void>;
  /** Exporter counters, when this process holds the exporter. */
  stats(): ReturnType<Exporter['stats']> | null;
  close(): Promise<void>;
}

export const IDENTITY = { machine_id: 'bench-machine-7', worker_id: 'bench-machine-7-comfyui-2', service_type: 'comfyui', connector_id: 'comfyui-local' };
const IDS = Array.from({ length: 1024 }, (_, i) => `job-${(0x10000000 + i * 7919).toString(16)}`);
const MODEL = 'sdxl-base-1.0';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await sleep(5);
}

function exporterLib(exporter: Exporter, emit: (i: number) => void): Lib {
  return {
    emit,
    async drain(emitted, timeoutMs = 30_000) {
      await exporter.flush(timeoutMs);
      await until(() => {
        const s = exporter.stats();
        return s.sent + s.dropped >= emitted && s.spoolPending === 0;
      }, timeoutMs);
    },
    stats: () => exporter.stats(),
    close: () => exporter.close(5000),
  };
}

function streamDrained(s: WriteStream): Promise<void> {
  return until(() => s.writableLength === 0 && !s.pending, 10_000);
}

export function createLib(name: LibName, exporterOptions: ExporterOptions): Lib {
  switch (name) {
    case 'silent': {
      let sink = 0;
      return {
        emit: (i) => { sink += IDS[i & 1023].length; },
        drain: async () => { if (sink < 0) throw new Error('unreachable'); },
        stats: () => null,
        close: async () => {},
      };
    }
    case 'sdk':
    case 'sdk-official': {
      const exporter = createExporter(name === 'sdk' ? exporterOptions : { ...exporterOptions, encoder: 'official' });
      const log = new ConnectorLogger({
        machineId: IDENTITY.machine_id, workerId: IDENTITY.worker_id, serviceType: IDENTITY.service_type,
        connectorId: IDENTITY.connector_id, sink: exporter, trace: false,
      });
      return exporterLib(exporter, (i) => {
        log.jobCompleted(IDS[i & 1023], { duration_ms: 1000 + (i & 4095), model: MODEL, progress: 100, status: 'completed' });
      });
    }
    case 'pino': {
      const dest = pino.destination('/dev/null');
      const log = pino(dest).child(IDENTITY);
      return {
        emit: (i) => {
          log.info({ job_id: IDS[i & 1023], event_type: 'job_completed', duration_ms: 1000 + (i & 4095), model: MODEL, progress: 100, status: 'completed' }, 'Job completed');
        },
        drain: () => new Promise<void>((r) => dest.flush(() => r())),
        stats: () => null,
        close: async () => { dest.end(); },
      };
    }
    case 'winston':
    case 'winston+jobscope': {
      const stream = name === 'winston' ? createWriteStream('/dev/null') : null;
      const transport = stream
        ? new winston.transports.Stream({ stream })
        : new JobscopeWinstonTransport({ exporter: exporterOptions });
      const log = winston.createLogger({
        format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
        defaultMeta: IDENTITY,
        transports: [transport],
      });
      const emit = (i: number): void => {
        log.info('Job completed', { job_id: IDS[i & 1023], event_type: 'job_completed', duration_ms: 1000 + (i & 4095), model: MODEL, progress: 100, status: 'completed' });
      };
      if (stream) return { emit, drain: () => streamDrained(stream), stats: () => null, close: async () => { stream.end(); } };
      const t = transport as JobscopeWinstonTransport;
      return {
        emit,
        async drain(emitted, timeoutMs = 30_000) {
          await t.flush(timeoutMs);
          await until(() => {
            const s = t.stats().sink as ReturnType<Exporter['stats']>;
            return s.sent + s.dropped >= emitted && s.spoolPending === 0;
          }, timeoutMs);
        },
        stats: () => t.stats().sink as ReturnType<Exporter['stats']>,
        close: () => t.close(),
      };
    }
    case 'pino+jobscope': {
      const { env: _env, mode: _mode, ...options } = exporterOptions;
      const transport = pino.transport({ target: pinoTarget, options });
      const root = pino(transport);
      const log = root.child(IDENTITY);
      return {
        emit: (i) => {
          log.info({ job_id: IDS[i & 1023], event_type: 'job_completed', duration_ms: 1000 + (i & 4095), model: MODEL, progress: 100, status: 'completed' }, 'Job completed');
        },
        // logger.flush: thread-stream hands the lines over, then the worker's exporter sends them (flush resolves when acknowledged).
        drain: () => new Promise<void>((r) => root.flush(() => r())),
        stats: () => null,
        close: async () => { transport.end(); },
      };
    }
  }
}

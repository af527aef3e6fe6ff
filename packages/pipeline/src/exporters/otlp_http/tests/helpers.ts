/**
 * Shared helpers of the exporter tests (not a test file itself): a real
 * OTLP/HTTP destination (Fastify + otlpHttpReceiver, which decodes the
 * requests for real) that records every attempt, stores each batch id once
 * (as a server that dedups by id would) and can be told to fail; telemetry
 * fixtures; buffer records.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { JobscopeError, PermanentError } from '@jobscope/core';
import {
  decodeRequest, encodeRequest,
  type ExportLogsServiceRequest, type ExportMetricsServiceRequest, type ExportTraceServiceRequest, type RequestBySignal, type Signal,
} from '@jobscope/otlp';
import { DiskLog } from '../../../buffer/disk/disk-log.js';
import type { DiskLogOptions } from '../../../buffer/disk/config.js';
import { encodeTelemetryRecord } from '../../../buffer/telemetry-record.js';
import { otlpHttpReceiver } from '../../../receivers/otlp_http/index.js';
import type { OtlpHttpExporterOptions } from '../config.js';

/**
 * What the destination does with a request: ok (store, 200), partial (store,
 * 200 with one item rejected), unavailable (503 + Retry-After), error (500),
 * bad (400), hang (store, never answer), reset (close the socket before
 * reading the request).
 */
export type Mode = 'ok' | 'partial' | 'unavailable' | 'error' | 'bad' | 'hang' | 'reset';

export interface Attempt {
  signal: Signal | null;
  batchId: string;
  mode: Mode;
  at: number;
}

export interface Stored {
  signal: Signal;
  batchId: string;
  request: RequestBySignal[Signal];
}

const SIGNAL_OF: Record<string, Signal> = { '/v1/logs': 'logs', '/v1/traces': 'traces', '/v1/metrics': 'metrics' };

export class TestServer {
  readonly attempts: Attempt[] = [];
  /** Each batch id once (a request without id is always stored). */
  readonly stored: Stored[] = [];
  /** Requests whose batch id was already stored. */
  duplicates = 0;
  /** content-encoding of every request. */
  readonly encodings: string[] = [];
  /** Headers of every request. */
  readonly headers: Record<string, string | string[] | undefined>[] = [];
  /** Modes of the next requests, in order; after them `mode`. */
  readonly plan: Mode[] = [];
  mode: Mode = 'ok';
  retryAfterSeconds = 1;
  url = '';
  port = 0;
  #app: FastifyInstance | null = null;
  readonly #hung = new Set<() => void>();

  static async start(port = 0): Promise<TestServer> {
    const s = new TestServer();
    await s.listen(port);
    return s;
  }

  #nextMode(): Mode {
    return this.plan.length > 0 ? (this.plan.shift() as Mode) : this.mode;
  }

  async listen(port = 0): Promise<void> {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    app.addHook('onRequest', (req, reply, done) => {
      this.encodings.push(String(req.headers['content-encoding'] ?? 'identity'));
      this.headers.push({ ...req.headers });
      if ((this.plan[0] ?? this.mode) === 'reset') {
        this.#nextMode();
        this.attempts.push({ signal: SIGNAL_OF[req.url] ?? null, batchId: String(req.headers['x-jobscope-batch-id'] ?? ''), mode: 'reset', at: Date.now() });
        reply.hijack();
        req.raw.socket.destroy();
        return;
      }
      done();
    });
    await app.register(otlpReceiverFor(this));
    await app.listen({ host: '127.0.0.1', port });
    this.#app = app;
    this.port = (app.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
  }

  /** The consumer behind the receiver. */
  async consume(signal: Signal, request: RequestBySignal[Signal], batchId: string): Promise<{ rejected: number; errorMessage: string } | void> {
    const mode = this.#nextMode();
    this.attempts.push({ signal, batchId, mode, at: Date.now() });
    switch (mode) {
      case 'unavailable':
        throw new JobscopeError('JS_UNAVAILABLE', 'test: unavailable', { retryAfter: this.retryAfterSeconds });
      case 'error':
        throw new Error('test: boom');
      case 'bad':
        throw new PermanentError('test: bad data');
      case 'hang':
        this.#store(signal, request, batchId);
        await new Promise<void>((resolve) => this.#hung.add(resolve));
        throw new JobscopeError('JS_UNAVAILABLE', 'test: released');
      case 'partial':
        this.#store(signal, request, batchId);
        return { rejected: 1, errorMessage: 'test: one rejected' };
      default:
        this.#store(signal, request, batchId);
    }
  }

  #store(signal: Signal, request: RequestBySignal[Signal], batchId: string): void {
    if (batchId !== '' && this.stored.some((s) => s.batchId === batchId)) {
      this.duplicates++;
      return;
    }
    this.stored.push({ signal, batchId, request });
  }

  storedIds(): string[] {
    return this.stored.map((s) => s.batchId);
  }

  async stop(): Promise<void> {
    for (const release of this.#hung) release();
    this.#hung.clear();
    const app = this.#app;
    this.#app = null;
    if (app) await app.close();
  }
}

function otlpReceiverFor(server: TestServer) {
  return otlpHttpReceiver((signal, req, meta) => server.consume(signal, req, meta.batchId));
}

// ---- fixtures ---------------------------------------------------------------

const RESOURCE = { attributes: { 'service.name': 'worker', 'host.name': 'h-1' }, droppedAttributesCount: 0 };
const SCOPE = { name: 'jobscope-test', version: '1.0.0', attributes: {}, droppedAttributesCount: 0 };
const T0 = 1700000000000000000n;

export function logsRequest(tag: string, n: number, pad = 0): ExportLogsServiceRequest {
  return {
    resourceLogs: [{
      resource: { ...RESOURCE, attributes: { ...RESOURCE.attributes, tag } },
      scopeLogs: [{
        scope: SCOPE,
        logRecords: Array.from({ length: n }, (_, i) => ({
          timeUnixNano: String(T0 + BigInt(i)),
          observedTimeUnixNano: String(T0 + BigInt(i) + 5n),
          severityNumber: 9,
          severityText: 'INFO',
          body: `${tag} line ${i}${'x'.repeat(pad)}`,
          attributes: { tag, i, ok: i % 2 === 0 },
          droppedAttributesCount: 0,
          flags: 0,
          traceId: '',
          spanId: '',
          eventName: '',
        })),
        schemaUrl: '',
      }],
      schemaUrl: '',
    }],
  };
}

export function tracesRequest(tag: string, n: number): ExportTraceServiceRequest {
  return {
    resourceSpans: [{
      resource: { ...RESOURCE, attributes: { ...RESOURCE.attributes, tag } },
      scopeSpans: [{
        scope: SCOPE,
        spans: Array.from({ length: n }, (_, i) => ({
          traceId: '5b8efff798038103d269b633813fc60c',
          spanId: (i + 1).toString(16).padStart(16, '0'),
          traceState: '',
          parentSpanId: '',
          flags: 0,
          name: `${tag}-span-${i}`,
          kind: 2,
          startTimeUnixNano: String(T0 + BigInt(i)),
          endTimeUnixNano: String(T0 + BigInt(i) + 1000n),
          attributes: { tag, i },
          droppedAttributesCount: 0,
          events: [],
          droppedEventsCount: 0,
          links: [],
          droppedLinksCount: 0,
          status: { message: '', code: 1 },
        })),
        schemaUrl: '',
      }],
      schemaUrl: '',
    }],
  };
}

export function metricsRequest(tag: string, n: number): ExportMetricsServiceRequest {
  return {
    resourceMetrics: [{
      resource: { ...RESOURCE, attributes: { ...RESOURCE.attributes, tag } },
      scopeMetrics: [{
        scope: SCOPE,
        metrics: Array.from({ length: n }, (_, i) => ({
          name: `${tag}.metric.${i}`,
          description: 'a gauge',
          unit: '1',
          data: {
            type: 'gauge' as const,
            dataPoints: [{ attributes: { i }, startTimeUnixNano: '0', timeUnixNano: String(T0 + BigInt(i)), value: i + 0.5, exemplars: [], flags: 0 }],
          },
          metadata: {},
        })),
        schemaUrl: '',
      }],
      schemaUrl: '',
    }],
  };
}

export function requestOf(signal: Signal, tag: string, n: number, pad = 0): RequestBySignal[Signal] {
  switch (signal) {
    case 'logs': return logsRequest(tag, n, pad);
    case 'traces': return tracesRequest(tag, n);
    case 'metrics': return metricsRequest(tag, n);
  }
}

/** A disk buffer record holding `n` items of `signal` tagged `tag`. */
export function record(signal: Signal, tag: string, n: number, opts: { receivedAtMs?: number; pad?: number } = {}): Buffer {
  return encodeTelemetryRecord({ signal, request: requestOf(signal, tag, n, opts.pad ?? 0) }, opts.receivedAtMs ?? Date.now());
}

/** The resource list of a request, whatever its signal. */
export function resources(signal: Signal, req: RequestBySignal[Signal]): unknown[] {
  switch (signal) {
    case 'logs': return (req as ExportLogsServiceRequest).resourceLogs;
    case 'traces': return (req as ExportTraceServiceRequest).resourceSpans;
    case 'metrics': return (req as ExportMetricsServiceRequest).resourceMetrics;
  }
}

/** What the receiver decodes from the concatenation of these records' requests. */
export function expectedResources(signal: Signal, parts: readonly [string, number][]): unknown[] {
  return parts.flatMap(([tag, n]) => {
    const req = requestOf(signal, tag, n);
    return resources(signal, decodeRequest(signal, encodeRequest(signal, req, 'protobuf'), 'protobuf'));
  });
}

/** The `tag` resource attribute of every resource in a stored batch, in order. */
export function tagsOf(s: Stored): string[] {
  return resources(s.signal, s.request).map((r) => String((r as { resource: { attributes: { tag?: unknown } } }).resource.attributes.tag));
}

// ---- environment ------------------------------------------------------------

export async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'otlp-exporter-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function openLog(dir: string, o: Partial<DiskLogOptions> = {}): Promise<DiskLog> {
  return DiskLog.open({ dir, maxBytes: 1 << 30, fsync: 'never', ...o });
}

export function options(endpoint: string, o: Partial<OtlpHttpExporterOptions> = {}): OtlpHttpExporterOptions {
  return { name: 'server', endpoint, instanceId: 'inst', lingerMs: 20, retry: { initialDelayMs: 10, maxDelayMs: 50 }, ...o };
}

/** Polls `cond` every 10 ms; fails with `what` after timeoutMs. */
export async function waitFor(cond: () => boolean, what = 'condition', timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A port nobody listens on (for a destination that is down, brought up later). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

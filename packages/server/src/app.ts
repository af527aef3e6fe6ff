/**
 * The server's composition: store (embedded or remote ClickHouse) + schema
 * migrations + retention, the durable ingest writer, the OTLP/HTTP receiver,
 * and the query API — each a Fastify plugin with its own routes.
 * Start order: storage first, then the writer (replays its WAL), then routes.
 * Stop order: routes (stop accepting), writer (flush), storage.
 *
 * The token (when set) guards ingest and the API: those routes live in one
 * encapsulated context with the check. The web UI's static files, the
 * "UI not built" page and the 404 handler are in the root context, public
 * (api/ui-static.ts).
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import { otlpHttpReceiver } from '@jobscope/pipeline';
import { applyRetention, migrate, openStore, type Store } from './store/index.js';
import { IngestWriter } from './ingest/writer.js';
import { TailHub } from './ingest/tail-hub.js';
import { serverConsumer, type IngestCounters } from './ingest/consumer.js';
import { registerAuth } from '@jobscope/pipeline';
import { healthRoutes } from './api/health.js';
import { queryRoutes } from './api/index.js';
import { isForbiddenStaticPath, registerUi } from './api/ui-static.js';
import { validateConfig, type ServerConfig } from './config.js';

export interface JobscopeServer {
  app: FastifyInstance;
  store: Store;
  writer: IngestWriter;
  tail: TailHub;
  config: ServerConfig;
  /** Listens on config.host:config.port; resolves with the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createServer(config: ServerConfig): Promise<JobscopeServer> {
  validateConfig(config);
  const log = (m: string): void => { if (!config.quiet) process.stderr.write(`jobscope: ${m}\n`); };
  const store = openStore({ clickhouseUrl: config.clickhouseUrl, dataDir: join(config.dataDir, 'clickhouse') });
  try {
    const m = await migrate(store);
    if (m.applied.length > 0) log(`schema migrated from version ${m.from} to ${m.to}`);
    await applyRetention(store, config.retention);
  } catch (err) {
    await store.close();
    throw err;
  }
  const writer = await IngestWriter.open({
    store, walDir: join(config.dataDir, 'wal'), fsync: config.walFsync,
    maxPendingBytes: config.maxPendingBytes, maxPendingRows: config.maxPendingRows, log,
  });
  writer.start();
  const tail = new TailHub();
  const counters: IngestCounters = { logs: 0, spans: 0, metricPoints: 0, requests: 0, duplicates: 0 };

  const app = Fastify({
    logger: config.quiet ? false : { level: 'warn' },
    bodyLimit: config.maxApiBodyBytes,
    // Bound slow clients: headers and bodies must arrive in time.
    requestTimeout: 120_000,
    return503OnClosing: true,
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (isForbiddenStaticPath(err)) {
      reply.code(404).send({ error: 'JS_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}` });
      return;
    }
    const status = err instanceof JobscopeError ? err.status : err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const code = err instanceof JobscopeError ? err.code : status >= 500 ? 'JS_INTERNAL' : 'JS_BAD_REQUEST';
    if (err instanceof JobscopeError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
    if (status >= 500) app.log.error(err);
    reply.code(status).send({ error: code, message: status >= 500 && !(err instanceof JobscopeError) ? 'internal error' : err.message });
  });
  await app.register(async (guarded) => {
    registerAuth(guarded, config.token);
    await guarded.register(healthRoutes({ store, writer, counters, tail }));
    await guarded.register(otlpHttpReceiver(
      serverConsumer(writer, tail, counters, config.defaultDataset), { maxBodyBytes: config.maxIngestBodyBytes }, { admit: () => writer.admit() },
    ));
    await guarded.register(queryRoutes({ store, tail }));
  });
  await registerUi(app, config.uiDir);

  let closed = false;
  return {
    app, store, writer, tail, config,
    async listen() {
      return await app.listen({ host: config.host, port: config.port });
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await writer.close();
      await store.close();
    },
  };
}

/**
 * The measured process. The bench forks it so that only the server's (or
 * the direct inserter's) CPU is counted: process.cpuUsage() covers every
 * thread of this process, chdb's included. Commands arrive over IPC.
 *
 *   node child.js server <dataDir>   a real Jobscope server on 127.0.0.1:<random>
 *   node child.js direct <dataDir>   a bare ChdbStore (schema migrated), no HTTP
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Session as Inspector } from 'node:inspector/promises';
import { createServer, type JobscopeServer } from '../app.js';
import { defaultConfig } from '../config.js';
import { ChdbStore, migrate, type Store } from '../store/index.js';
import { rowBatches, type RowBatch } from './prepare.js';
import type { DataOptions } from './data.js';
import { timeStoreQueries, type QueryTiming } from './store-timing.js';

export interface Usage { cpuMicros: number; rssBytes: number; maxRssBytes: number }
export interface InsertResult { rows: number; seconds: number; cpuSeconds: number; batches: number }
export type { QueryTiming } from './store-timing.js';

type Msg = { id: number; cmd: string; args?: Record<string, unknown> };

const [mode, dataDir] = process.argv.slice(2);
if ((mode !== 'server' && mode !== 'direct') || !dataDir || !process.send) {
  throw new Error('usage (forked with IPC): child.js server|direct <dataDir>');
}

let server: JobscopeServer | undefined;
let store: Store;
let url = '';
const timings: QueryTiming[] = [];
let prepared: RowBatch[] = [];
let inspector: Inspector | undefined;

function usage(): Usage {
  const c = process.cpuUsage();
  return { cpuMicros: c.user + c.system, rssBytes: process.memoryUsage.rss(), maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}

async function insertAll(batches: Iterable<RowBatch>, timeEach: boolean): Promise<InsertResult> {
  let rows = 0, n = 0, seconds = 0, cpuSeconds = 0;
  const t0 = performance.now(), c0 = process.cpuUsage();
  for (const b of batches) {
    const t = performance.now(), c = process.cpuUsage();
    await store.insert('otel_logs', b.data);
    if (timeEach) {
      const d = process.cpuUsage(c);
      seconds += (performance.now() - t) / 1000;
      cpuSeconds += (d.user + d.system) / 1e6;
    }
    rows += b.rows;
    n++;
  }
  if (!timeEach) {
    const d = process.cpuUsage(c0);
    seconds = (performance.now() - t0) / 1000;
    cpuSeconds = (d.user + d.system) / 1e6;
  }
  return { rows, seconds, cpuSeconds, batches: n };
}

async function handle(cmd: string, a: Record<string, unknown>): Promise<unknown> {
  switch (cmd) {
    case 'url': return url;
    case 'usage': return usage();
    case 'writerStats': return server!.writer.stats();
    case 'query': return await store.query(String(a.sql));
    case 'exec': await store.exec(String(a.sql)); return null;
    case 'timings': return timings.splice(0);
    // Pre-generates JSONEachRow batches in memory (not timed).
    case 'prepare': {
      prepared = [...rowBatches(a.data as DataOptions, Number(a.batchRows))];
      return { batches: prepared.length, bytes: prepared.reduce((s, b) => s + b.data.length, 0) };
    }
    // Inserts the prepared batches; the window covers only the inserts.
    case 'insertPrepared': {
      const r = await insertAll(prepared, false);
      prepared = [];
      return r;
    }
    // Generates and inserts batch by batch (bulk loading); times only the inserts.
    case 'load': return await insertAll(rowBatches(a.data as DataOptions, Number(a.batchRows)), true);
    case 'profileStart': {
      inspector = new Inspector();
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: Number(a.intervalUs ?? 500) });
      await inspector.post('Profiler.start');
      return null;
    }
    case 'profileStop': {
      const { profile } = await inspector!.post('Profiler.stop');
      inspector!.disconnect();
      inspector = undefined;
      const file = String(a.file ?? join(dataDir!, 'ingest.cpuprofile'));
      await writeFile(file, JSON.stringify(profile));
      return file;
    }
    case 'close':
      if (server) await server.close();
      else await store.close();
      setImmediate(() => process.exit(0));
      return null;
    default: throw new Error(`unknown command ${cmd}`);
  }
}

async function boot(): Promise<void> {
  if (mode === 'server') {
    server = await createServer({ ...defaultConfig({}), dataDir: dataDir!, port: 0, host: '127.0.0.1', quiet: true });
    store = server.store;
    timeStoreQueries(store, timings); // the time each storage query takes inside the server (raw SQL time)
    url = await server.listen();
  } else {
    store = ChdbStore.open({ dataDir: join(dataDir!, 'clickhouse') });
    await migrate(store);
  }
  // The bench went away (killed, crashed): do not linger as an orphan server.
  process.on('disconnect', () => process.exit(1));
  process.on('message', (m: Msg) => {
    handle(m.cmd, m.args ?? {}).then(
      (result) => process.send!({ id: m.id, ok: true, result }),
      (err: Error) => process.send!({ id: m.id, ok: false, error: err.stack ?? err.message }),
    );
  });
  process.send!({ id: 0, ok: true, result: 'ready' });
}

boot().catch((err: Error) => {
  process.send?.({ id: 0, ok: false, error: err.stack ?? err.message });
  process.exit(1);
});

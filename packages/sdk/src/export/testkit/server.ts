/** Test helpers: a real Jobscope server (embedded chdb) in a temp dir, free ports, row counts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, defaultConfig, type JobscopeServer } from '@jobscope/server';

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port nobody listens on right now (for "server absent, present later"). */
export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface TestServer {
  server: JobscopeServer;
  url: string;
  /** Rows of one test run (attribute `run`) and how many distinct `seq` values they hold. */
  rows(run: string): Promise<{ total: number; distinct: number }>;
  close(): Promise<void>;
}

export async function startServer(port = 0, dataDir?: string): Promise<TestServer> {
  const t = dataDir ? { dir: dataDir, cleanup: () => {} } : tempDir('jobscope-sdk-srv-');
  const server = await createServer({ ...defaultConfig({}), dataDir: t.dir, port, quiet: true });
  const url = await server.listen();
  return {
    server,
    url,
    async rows(run) {
      await server.writer.flush();
      const r = await server.store.query<{ total: number; distinct: number }>(
        "SELECT count() AS total, uniqExact(LogAttributes['seq']) AS distinct FROM otel_logs WHERE LogAttributes['run'] = {run:String}",
        { run },
      );
      return { total: Number(r[0]?.total ?? 0), distinct: Number(r[0]?.distinct ?? 0) };
    },
    async close() {
      await server.close();
      t.cleanup();
    },
  };
}

/** Polls `check` every 50 ms until it returns true or timeoutMs passes; returns its last answer. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One log line of the contract, with a run id and a sequence number to count by. */
export function line(run: string, seq: number, extra = ''): string {
  return `{"time":${Date.now()},"level":"info","msg":"line ${seq}${extra}","run":"${run}","seq":${seq},"job_id":"job-${seq % 7}","event_type":"job_progress"}`;
}

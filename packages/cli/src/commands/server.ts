import { createServer, defaultConfig, parseRetention, type JobscopeServer, type ServerConfig } from '@jobscope/server';
import { uiBuilt, uiPublicDir } from '@jobscope/ui';
import { CliError, parse, parsePort, type Command } from '../command.js';

const USAGE = `Usage: jobscope server [options]

Runs the Jobscope server: OTLP/HTTP ingest (/v1/logs, /v1/traces, /v1/metrics),
storage in ClickHouse (embedded by default), the query API and the UI.

Options:
  --port N          port to listen on (default 4318, env PORT)
  --host ADDR       address to bind (default 127.0.0.1, env JOBSCOPE_HOST)
  --data DIR        data directory (default ./jobscope-data, env JOBSCOPE_DATA)
  --clickhouse URL  use a ClickHouse server, e.g. http://user:pass@host:8123/db
                    (env CLICKHOUSE_URL) instead of the embedded engine
  --token TOKEN     require Authorization: Bearer TOKEN (env JOBSCOPE_TOKEN)
  --insecure        allow a non-loopback --host without a token
  --retention SPEC  days kept per signal, e.g. logs=30d,errors=90d,events=180d,
                    traces=7d,metrics=30d (any subset; env JOBSCOPE_RETENTION)
  --fsync POLICY    write-ahead log fsync: interval (default, every 1 s), always, never
  --no-ui           do not serve the web UI at / (it is served when built: npm run build)
`;

const OPTIONS = {
  port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' },
  clickhouse: { type: 'string' }, token: { type: 'string' }, insecure: { type: 'boolean' },
  fsync: { type: 'string' }, retention: { type: 'string' }, 'no-ui': { type: 'boolean' },
} as const;

export function serverConfigFrom(argv: string[], usage = USAGE): ServerConfig | undefined {
  const p = parse(argv, OPTIONS, usage);
  if (!p) return undefined;
  if (p.positionals.length > 0) throw new CliError(`unexpected argument '${p.positionals[0]}'\n\n${usage}`);
  const v = p.values;
  let c: ServerConfig;
  try { c = defaultConfig(); } catch (err) { throw new CliError((err as Error).message); }
  c.port = parsePort(v.port, '--port') ?? c.port;
  if (v.host) c.host = v.host;
  if (v.data) c.dataDir = v.data;
  if (v.clickhouse) c.clickhouseUrl = v.clickhouse;
  if (v.token) c.token = v.token;
  if (v.insecure) c.insecure = true;
  if (v.fsync) c.walFsync = v.fsync as ServerConfig['walFsync'];
  if (v.retention) {
    try { c.retention = parseRetention(v.retention); } catch (err) { throw new CliError((err as Error).message); }
  }
  // The web UI (packages/ui's bundle), when it has been built and not turned off.
  if (!v['no-ui'] && uiBuilt()) c.uiDir = uiPublicDir();
  return c;
}

/** The banner's UI line: its URL, or why there is none. */
export function uiLine(url: string, config: ServerConfig, argv: readonly string[]): string {
  if (config.uiDir) return `Jobscope UI: ${url}/`;
  return argv.includes('--no-ui') ? 'Jobscope UI: off (--no-ui)' : 'Jobscope UI: not built (run `npm run build`, then start again)';
}

/** Starts the server and stops it cleanly on SIGINT/SIGTERM. */
export async function runServer(
  config: ServerConfig,
  onReady?: (url: string, s: JobscopeServer) => Promise<void> | void,
  /** Runs on SIGINT/SIGTERM before the server closes (the demo fleet stops first). */
  beforeClose?: () => Promise<void>,
): Promise<number> {
  let server: JobscopeServer;
  try {
    server = await createServer(config);
  } catch (err) {
    throw new CliError((err as Error).message, 1);
  }
  const url = await server.listen().catch(async (err: Error) => {
    await server.close();
    throw new CliError(`cannot listen on ${config.host}:${config.port}: ${err.message}`, 1);
  });
  try {
    await onReady?.(url, server);
  } catch (err) {
    await server.close(); // a failed start leaves nothing running
    throw err;
  }
  await new Promise<void>((resolve) => {
    const stop = (sig: string): void => {
      const t0 = Date.now();
      process.stderr.write(`jobscope: ${sig} received, flushing and stopping…\n`);
      (beforeClose ? beforeClose().catch((err: Error) => { process.stderr.write(`jobscope: ${err.message}\n`); }) : Promise.resolve())
        .then(() => server.close()).then(() => {
          process.stderr.write(`jobscope: stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s; data kept in ${config.dataDir}\n`);
          resolve();
        }, (err: Error) => {
          process.stderr.write(`jobscope: error while stopping: ${err.message}\n`);
          resolve();
        });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

export const serverCommand: Command = {
  summary: 'run the server (ingest, storage, query API, web UI)',
  async run(argv) {
    const config = serverConfigFrom(argv);
    if (!config) return 0;
    return await runServer(config, (url, s) => {
      process.stdout.write(`Jobscope server listening on ${url} (storage: ${s.store.kind} ${s.store.location})\n`);
      process.stdout.write(`${uiLine(url, config, argv)}\n`);
    });
  },
};

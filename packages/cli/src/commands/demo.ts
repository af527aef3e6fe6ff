import { join } from 'node:path';
import { SCENARIOS, startDemo, type Demo, type DemoOptions, type ScenarioName } from '@jobscope/sim';
import { CliError, parse, parseDuration, type Command } from '../command.js';
import { runServer, serverConfigFrom } from './server.js';

const USAGE = `Usage: jobscope demo [options]

Runs a simulated fleet — a job queue (Redis when available), an API service,
machines with workers running ComfyUI, OpenAI, A1111, simulation and REST
connectors, a webhook service, each machine with its own agent — against a
server: --server URL, or an embedded one started here (as \`npm start\` does).

Options:
  --machines N              machines (default 3)
  --workers-per-machine N   workers per machine, N or MIN-MAX (default 2-4)
  --rate JOBS_PER_S         jobs submitted per second (default 2; thousands for load)
  --duration D              stop after D (e.g. 10m; default: until Ctrl-C)
  --scenario NAME           faults: ${SCENARIOS.join(', ')} (default random)
  --server URL              an existing Jobscope server (default: start one here)
  --token TOKEN             its bearer token
  --no-agents               workers send to the server directly (no per-machine agents)
  --time-scale X            real time per simulated time (default 0.25: jobs 4× faster)
  --load                    load mode for benchmarks: 8 machines × 6 workers, 300 jobs/s,
                            time scale 0.01, no faults (thousands of events per second);
                            explicit options override it
  --trace-ratio R           share of normal jobs whose trace is kept, 0-1 (default 0.1; failed,
                            retried and slow jobs always keep theirs)
  --no-tracing              no spans (logs and events only)
  --seed S                  reproducible runs
  --data DIR                data directory of the embedded server and the demo (default ./jobscope-data)
  --port N                  port of the embedded server (default 4318, env PORT)
`;

const OPTIONS = {
  machines: { type: 'string' }, 'workers-per-machine': { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' },
  scenario: { type: 'string' }, server: { type: 'string' }, token: { type: 'string' }, 'no-agents': { type: 'boolean' },
  'time-scale': { type: 'string' }, seed: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' },
  load: { type: 'boolean' }, 'trace-ratio': { type: 'string' }, 'no-tracing': { type: 'boolean' },
} as const;

/** --load: a fleet big and fast enough for thousands of events per second. */
const LOAD_PRESET = { machines: '8', 'workers-per-machine': '6', rate: '300', 'time-scale': '0.01', scenario: 'none' } as const;

function positive(v: string | undefined, name: string, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new CliError(`${name} must be a number in (0, ${max}] (got '${v}')`);
  return n;
}

/** Demo options from flags (shared by `jobscope demo` and `jobscope start`). */
export function demoOptionsFrom(v: Partial<Record<keyof typeof OPTIONS, string | boolean>>, serverUrl: string, dataDir: string): DemoOptions {
  const wpm = v['workers-per-machine'] as string | undefined;
  let workersPerMachine: number | [number, number] = [2, 4];
  if (wpm !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(wpm);
    if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < Number(m[1])) || Number(m[2] ?? m[1]) > 64) {
      throw new CliError(`--workers-per-machine must be N or MIN-MAX within 1-64 (got '${wpm}')`);
    }
    workersPerMachine = m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
  }
  const scenario = (v.scenario as string | undefined) ?? 'random';
  if (!(SCENARIOS as readonly string[]).includes(scenario)) throw new CliError(`--scenario must be one of ${SCENARIOS.join(', ')} (got '${scenario}')`);
  const o: DemoOptions = {
    serverUrl, dataDir: join(dataDir, 'demo'),
    machines: Math.round(positive(v.machines as string | undefined, '--machines', 3, 100)),
    workersPerMachine,
    rate: positive(v.rate as string | undefined, '--rate', 2, 100_000),
    scenario: scenario as ScenarioName,
    agents: !v['no-agents'],
    durationScale: positive(v['time-scale'] as string | undefined, '--time-scale', 0.25, 10),
  };
  const ratio = v['trace-ratio'] as string | undefined;
  if (ratio !== undefined) {
    const r = Number(ratio);
    if (ratio.trim() === '' || !Number.isFinite(r) || r < 0 || r > 1) throw new CliError(`--trace-ratio must be a number from 0 to 1 (got '${ratio}')`);
    o.traceRatio = r;
  }
  if (v['no-tracing']) o.tracing = false;
  if (typeof v.token === 'string') o.token = v.token;
  if (typeof v.seed === 'string') o.seed = v.seed;
  if (process.env.REDIS_URL) o.redisUrl = process.env.REDIS_URL;
  return o;
}

export function demoBanner(d: Demo, o: DemoOptions): string {
  const w = o.workersPerMachine;
  return [
    `  fleet:    ${o.machines} machines × ${Array.isArray(w) ? `${w[0]}-${w[1]}` : String(w)} workers, ${o.rate} jobs/s, scenario ${o.scenario}${o.agents ? ', one agent per machine' : ''}`,
    `  queue:    ${d.queueDescription}`,
    `  api:      POST ${d.apiUrl}/api/jobs {"service_type":"comfyui"}   ·   GET ${d.apiUrl}/api/jobs/<id>`,
  ].join('\n') + '\n';
}

/** The last line of a demo run (the fleet benchmark reads it). */
export function demoSummary(d: Demo): string {
  const s = d.fleet.stats();
  return `jobscope demo stopped: submitted=${s.submitted} completed=${s.completed} failed=${s.failed} promoted=${s.promoted} unworkable=${s.unworkable}\n`;
}

export const demoCommand: Command = {
  summary: 'run a simulated fleet (queue, API, workers, webhooks, agents) against a server',
  async run(argv) {
    const p = parse(argv, OPTIONS, USAGE);
    if (!p) return 0;
    if (p.positionals.length > 0) throw new CliError(`unexpected argument '${p.positionals[0]}'\n\n${USAGE}`);
    const v = p.values.load ? { ...LOAD_PRESET, ...p.values } : p.values;
    const durationMs = v.duration ? parseDuration(v.duration) : undefined;
    const onFault = (f: { name: string; machineId?: string; model?: string }): void => {
      process.stderr.write(`jobscope demo: fault ${f.name}${f.machineId ? ` on ${f.machineId}` : ''}${f.model ? ` for ${f.model}` : ''}\n`);
    };
    if (v.server) {
      const o = { ...demoOptionsFrom(v, v.server.replace(/\/+$/, ''), v.data ?? 'jobscope-data'), onFault };
      const demo = await startDemo(o).catch((e: Error) => { throw new CliError(e.message, 1); });
      process.stdout.write(`Jobscope demo sending to ${o.serverUrl}\n${demoBanner(demo, o)}`);
      await new Promise<void>((resolve) => {
        const stop = (): void => { void demo.stop().then(() => { process.stdout.write(demoSummary(demo)); resolve(); }); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        if (durationMs) setTimeout(stop, durationMs).unref();
      });
      return 0;
    }
    const serverArgs = [...(v.data ? ['--data', v.data] : []), ...(v.port ? ['--port', v.port] : []), ...(v.token ? ['--token', v.token] : [])];
    const config = serverConfigFrom(serverArgs);
    if (!config) return 0;
    demoOptionsFrom(v, 'http://127.0.0.1', config.dataDir); // bad options are errors before a server starts
    let demo: Demo | null = null;
    return await runServer(config, async (url) => {
      const o = { ...demoOptionsFrom(v, url, config.dataDir), onFault };
      demo = await startDemo(o);
      process.stdout.write(`Jobscope demo: server at ${url}\n${demoBanner(demo, o)}`);
      if (durationMs) setTimeout(() => process.kill(process.pid, 'SIGTERM'), durationMs).unref();
    }, async () => {
      if (!demo) return;
      await (demo as Demo).stop();
      process.stdout.write(demoSummary(demo));
    });
  },
};

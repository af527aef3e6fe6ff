import v8 from 'node:v8';
import { createAgent, resolveAgentConfig, type AgentFlags } from '@jobscope/agent';
import { JobscopeError } from '@jobscope/core';
import { CliError, parse, type Command } from '../command.js';

const USAGE = `Usage: jobscope agent [options]

Runs the per-machine agent: takes telemetry from local workers and files,
enriches and redacts it, keeps it in a disk buffer and delivers it to the
server (and any other OTLP backend). Flags override environment variables,
which override the config file (see agent.example.yaml and docs/agent.md).

Options:
  --config FILE         YAML config file (env JOBSCOPE_AGENT_CONFIG)
  --server URL          the Jobscope server, e.g. http://jobscope:4318 (env JOBSCOPE_SERVER)
  --token TOKEN         bearer token sent to the server (env JOBSCOPE_TOKEN)
  --buffer DIR          disk buffer directory (default ./jobscope-agent, env JOBSCOPE_AGENT_BUFFER)
  --buffer-max-bytes N  bound of the disk buffer, e.g. 1GiB (default 1GiB)
  --on-full POLICY      at the bound: backpressure (default: 429/503, forward
                        without ack, tail pauses) or drop_oldest (counted)
  --fsync POLICY        disk buffer fsync: interval (default, every 1 s), always, never
  --host ADDR           address the receivers bind (default 127.0.0.1, env JOBSCOPE_AGENT_HOST)
  --auth-token TOKEN    token senders must present (Bearer on HTTP, shared key on
                        forward); required off loopback (env JOBSCOPE_AGENT_TOKEN)
  --insecure            allow a non-loopback --host without --auth-token
  --http-port N|off     Fluent Bit-compatible HTTP input (default 9880)
  --otlp-port N|off     OTLP/HTTP input (default 4318)
  --forward-port N|off  Fluent forward protocol input (default 24224)
  --health-port N|off   GET /healthz and Prometheus /metrics (default 2020)
  --tail GLOB           tail files matching GLOB (repeatable), e.g. '/workspace/logs/*.log'
  --machine-id ID       machine_id added to every record (env MACHINE_ID)
  --region NAME         cloud.region added to every record (env JOBSCOPE_REGION)
  --environment NAME    deployment environment / dataset (env JOBSCOPE_ENVIRONMENT)
  --quiet               no startup banner
`;

const OPTIONS = {
  config: { type: 'string' }, server: { type: 'string' }, token: { type: 'string' }, buffer: { type: 'string' },
  'buffer-max-bytes': { type: 'string' }, 'on-full': { type: 'string' }, fsync: { type: 'string' }, host: { type: 'string' },
  'auth-token': { type: 'string' }, insecure: { type: 'boolean' }, 'http-port': { type: 'string' }, 'otlp-port': { type: 'string' },
  'forward-port': { type: 'string' }, 'health-port': { type: 'string' }, tail: { type: 'string', multiple: true },
  'machine-id': { type: 'string' }, region: { type: 'string' }, environment: { type: 'string' }, quiet: { type: 'boolean' },
} as const;

export const agentCommand: Command = {
  summary: 'run the per-machine agent (receivers, disk buffer, delivery to the server)',
  async run(argv) {
    const p = parse(argv, OPTIONS, USAGE);
    if (!p) return 0;
    if (p.positionals.length > 0) throw new CliError(`unexpected argument '${p.positionals[0]}'\n\n${USAGE}`);
    const v = p.values;
    const flags: AgentFlags = {};
    const set = <K extends keyof AgentFlags>(k: K, x: AgentFlags[K] | undefined): void => { if (x !== undefined) flags[k] = x; };
    set('config', v.config); set('server', v.server); set('token', v.token); set('buffer', v.buffer);
    set('bufferMaxBytes', v['buffer-max-bytes']); set('onFull', v['on-full']); set('fsync', v.fsync); set('host', v.host);
    set('authToken', v['auth-token']); set('insecure', v.insecure); set('httpPort', v['http-port']); set('otlpPort', v['otlp-port']);
    set('forwardPort', v['forward-port']); set('healthPort', v['health-port']); set('tail', v.tail); set('machineId', v['machine-id']);
    set('region', v.region); set('environment', v.environment); set('quiet', v.quiet);

    let config;
    try {
      config = await resolveAgentConfig(flags);
    } catch (e) {
      if (e instanceof JobscopeError) throw new CliError(e.message);
      throw e;
    }
    if (process.env.JOBSCOPE_V8_FLAGS) v8.setFlagsFromString(process.env.JOBSCOPE_V8_FLAGS);
    const agent = createAgent(config);
    let addresses;
    try {
      addresses = await agent.start();
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
    const parts = Object.entries(addresses).map(([k, a]) => `${k}=${a}`);
    if (config.tail.include.length > 0) parts.push(`tail=${config.tail.include.join(',')}`);
    // one parseable line (tests and scripts read the bound ports from it)
    process.stderr.write(`jobscope agent ready: ${parts.join(' ')} buffer=${config.bufferDir} → ${config.exporters.map((e) => `${e.name}=${e.endpoint}`).join(' ')}\n`);
    await new Promise<void>((resolve) => {
      const stop = (sig: string): void => {
        process.stderr.write(`jobscope agent: ${sig} received, delivering what it can and stopping…\n`);
        agent.close().then(resolve, (err: Error) => {
          process.stderr.write(`jobscope agent: error while stopping: ${err.message}\n`);
          resolve();
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};

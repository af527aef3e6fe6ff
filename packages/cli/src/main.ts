#!/usr/bin/env node
/**
 * The one `jobscope` command. Each subcommand lives in commands/<name>.ts and
 * exports { summary, run(argv) }.
 */
import type { Command } from './command.js';
import { CliError } from './command.js';

// Loaded on use: `jobscope agent` must not load the server's embedded
// ClickHouse (hundreds of MB) on machines that only run the agent.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: { summary: 'start the server with embedded storage and a simulated fleet (what `npm start` runs)', load: async () => (await import('./commands/start.js')).startCommand },
  server: { summary: 'run the server (ingest, storage, query API, web UI)', load: async () => (await import('./commands/server.js')).serverCommand },
  demo: { summary: 'run a simulated fleet (queue, API, workers, webhooks, agents) against a server', load: async () => (await import('./commands/demo.js')).demoCommand },
  agent: { summary: 'run the per-machine agent (receivers, disk buffer, delivery to the server)', load: async () => (await import('./commands/agent.js')).agentCommand },
  logs: { summary: 'search logs and events, or follow them live (--follow)', load: async () => (await import('./commands/logs.js')).logsCommand },
  job: { summary: "show a job's state and timeline: what happened to job X, and why", load: async () => (await import('./commands/job.js')).jobCommand },
  trace: { summary: 'show a trace as a waterfall of its spans (services, durations, errors)', load: async () => (await import('./commands/trace.js')).traceCommand },
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `Usage: jobscope <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`jobscope <command> --help\` for a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('jobscope 0.1.0\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`jobscope: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  return await (await cmd.load()).run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof CliError) process.stderr.write(`jobscope: ${err.message}\n`);
    else process.stderr.write(`jobscope: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);

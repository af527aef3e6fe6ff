#!/usr/bin/env node
/**
 * The one `jobscope` command. Each subcommand lives in commands/<name>.ts and
 * exports { summary, run(argv) }.
 */
import { serverCommand } from './commands/server.js';
import { startCommand } from './commands/start.js';
import { logsCommand } from './commands/logs.js';
import { jobCommand } from './commands/job.js';
import type { Command } from './command.js';
import { CliError } from './command.js';

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  server: serverCommand,
  logs: logsCommand,
  job: jobCommand,
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
  return await cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (err instanceof CliError) process.stderr.write(`jobscope: ${err.message}\n`);
    else process.stderr.write(`jobscope: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 1;
  },
);

import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** An error shown to the user as one line, without a stack. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with errors turned into CliError and --help handled. */
export function parse<O extends Options>(argv: string[], options: O, usage: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${usage}`);
  }
  if ((parsed.values as Record<string, unknown>).help) {
    process.stdout.write(usage);
    return undefined;
  }
  return parsed as { values: { [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] : string }; positionals: string[] };
}

/** Parses a duration like 30s, 15m, 1h, 7d into milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(s.trim());
  if (!m) throw new CliError(`invalid duration '${s}' (use e.g. 30s, 15m, 1h, 7d)`);
  const unit = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[m[2] as 'ms'];
  return Number(m[1]) * unit;
}

export function parsePort(s: string | undefined, name: string): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`${name} must be a port number 0-65535 (got '${s}')`);
  return n;
}

/**
 * Level ↔ OpenTelemetry severity number (logs data model, SeverityNumber ranges).
 * Canonical level words are lowercase: trace, debug, info, warn, error, fatal.
 */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

/** First severity number of each level's range (TRACE=1..4, DEBUG=5..8, …, FATAL=21..24). */
export const LEVEL_TO_SEVERITY: Readonly<Record<Level, number>> = {
  trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21,
};

const WORD_TO_LEVEL: Readonly<Record<string, Level>> = {
  trace: 'trace', verbose: 'trace', silly: 'trace',
  debug: 'debug', dbg: 'debug',
  info: 'info', information: 'info', notice: 'info', http: 'info', log: 'info',
  warn: 'warn', warning: 'warn',
  error: 'error', err: 'error', crit: 'fatal', critical: 'fatal', alert: 'fatal', emerg: 'fatal',
  fatal: 'fatal', panic: 'fatal',
};

/** Level from an OTel severity number (0 = unspecified → undefined). */
export function levelFromSeverityNumber(n: number): Level | undefined {
  if (!(n >= 1)) return undefined;
  if (n <= 4) return 'trace';
  if (n <= 8) return 'debug';
  if (n <= 12) return 'info';
  if (n <= 16) return 'warn';
  if (n <= 20) return 'error';
  return 'fatal';
}

/**
 * Level from free text ("ERROR", "Warning", "E", pino numbers "50", syslog "3").
 * Unknown text → undefined (the caller keeps its default).
 */
export function levelFromText(text: string): Level | undefined {
  if (!text) return undefined;
  const w = WORD_TO_LEVEL[text.toLowerCase()];
  if (w) return w;
  const num = Number(text);
  if (Number.isInteger(num)) {
    // pino/bunyan numeric levels
    if (num >= 60) return 'fatal';
    if (num >= 50) return 'error';
    if (num >= 40) return 'warn';
    if (num >= 30) return 'info';
    if (num >= 20) return 'debug';
    if (num >= 10) return 'trace';
  }
  switch (text[0]) {
    case 'E': case 'e': return text.length === 1 ? 'error' : undefined;
    case 'W': case 'w': return text.length === 1 ? 'warn' : undefined;
    case 'I': case 'i': return text.length === 1 ? 'info' : undefined;
    case 'D': case 'd': return text.length === 1 ? 'debug' : undefined;
    default: return undefined;
  }
}

/**
 * The Winston and pino transports. The Winston transport is a class to
 * construct (also the `@jobscope/sdk/winston` entry point); the pino
 * transport is a module pino loads on its own worker thread, named by
 * `'@jobscope/sdk/pino'` or by the absolute path `pinoTarget`.
 */
export { JobscopeWinstonTransport, type JobscopeWinstonOptions, type WinstonTransportStats } from './winston.js';
export type { JobscopePinoOptions } from './pino.js';
export { pinoTarget } from './target.js';

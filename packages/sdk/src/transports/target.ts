/**
 * The pino transport's module path, for `pino.transport({ target: pinoTarget })`
 * where the `@jobscope/sdk/pino` specifier cannot be resolved (bundlers,
 * tests). Its own file, so that importing it loads neither pino nor winston.
 */
import { fileURLToPath } from 'node:url';

export const pinoTarget: string = fileURLToPath(new URL('./pino.js', import.meta.url));

/**
 * A pino transport on the exporter core. pino runs it on a worker thread of
 * its own (thread-stream), as it runs every transport:
 *
 *   import pino from 'pino';
 *   const logger = pino(pino.transport({
 *     target: '@jobscope/sdk/pino',          // or the absolute path `pinoTarget`
 *     options: { serviceName: 'comfyui-worker', endpoint: 'http://127.0.0.1:4318/v1/logs' },
 *   }));
 *   logger.child({ machine_id: 'm-1', worker_id: 'm-1-comfyui-0' }).info({ job_id: 'job-1', event_type: 'job_started' }, 'Job started');
 *
 * Inside pino's worker this module creates the exporter in mode 'inline'
 * (the worker is already off the main thread: no second thread) and hands
 * it each line as pino wrote it. pino's lines are already the contract's
 * shape (contract.ts): `time` in ms, `msg`, numeric `level` (10–60, mapped
 * to the canonical severities by the exporter), bindings and fields as
 * attributes; so a line is not parsed here at all, only by the exporter.
 *
 * - options: ExporterOptions (plain data: they cross to the worker) plus
 *   `messageKey` when pino's messageKey is neither `msg` nor `message`
 *   (then each line is parsed and the key renamed).
 * - flush: `logger.flush(cb)` asks the worker; the exporter sends (or
 *   spools) what it holds, within flushTimeoutMs.
 * - close: on `transport.end()`, and on process exit (pino ends the stream
 *   and blocks the exiting main thread until the worker closes, 10 s at
 *   most), the exporter closes within `closeTimeoutMs` (default 4 s):
 *   what could not be sent by then is spooled to disk and replayed by the
 *   next process that uses the same spool directory.
 */
import build from 'pino-abstract-transport';
import type { Transform } from 'node:stream';
import { createExporter } from '../export/create.js';
import type { ExporterOptions } from '../export/options.js';

export interface JobscopePinoOptions extends Omit<ExporterOptions, 'mode' | 'env'> {
  /** pino's messageKey, when it is neither `msg` nor `message`. */
  messageKey?: string;
  /** Deadline of the exporter's close when pino ends the stream, ms. Default 4000 (pino waits 10 s at most). */
  closeTimeoutMs?: number;
}

/** Renames a custom messageKey to `msg`; the line unchanged when it cannot. */
export function renameMessageKey(line: string, key: string): string {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || !(key in o)) return line;
    const { [key]: msg, ...rest } = o;
    return JSON.stringify({ ...rest, msg });
  } catch {
    return line; // not JSON: the exporter drops and counts it
  }
}

/** The transport factory pino calls inside its worker. */
export default async function jobscopePinoTransport(opts: JobscopePinoOptions = {}): Promise<Transform> {
  const { messageKey, closeTimeoutMs = 4000, ...exporterOptions } = opts;
  const exporter = createExporter({ ...exporterOptions, mode: 'inline' });
  const rename = messageKey !== undefined && messageKey !== 'msg' && messageKey !== 'message' ? messageKey : undefined;
  const stream = build(
    (source) => {
      source.on('data', (line: string) => {
        if (line.length > 0) exporter.write(rename === undefined ? line : renameMessageKey(line, rename));
      });
    },
    {
      parse: 'lines',
      // pino's lines are JSON already: skip pino-abstract-transport's JSON.parse, the exporter parses once.
      parseLine: (line: string) => line,
      metadata: false,
      close: async () => {
        await exporter.close(closeTimeoutMs);
      },
    },
  );
  // thread-stream calls destination.flush() for pino's logger.flush(cb).
  (stream as Transform & { flush?: () => Promise<void> }).flush = () => exporter.flush();
  return stream;
}

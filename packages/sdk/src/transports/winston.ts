/**
 * A Winston transport on the exporter core: each `info` object becomes one
 * JSON line (winston-line.ts) written to a LineSink — its own exporter
 * (createExporter, worker mode by default) or a sink it is given.
 *
 *   import winston from 'winston';
 *   import { JobscopeWinstonTransport } from '@jobscope/sdk/winston';
 *   const logger = winston.createLogger({
 *     format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
 *     defaultMeta: { machine_id: 'm-1', worker_id: 'm-1-comfyui-0', service_type: 'comfyui' },
 *     transports: [new JobscopeWinstonTransport({ exporter: { serviceName: 'comfyui-worker' } })],
 *   });
 *   logger.info('Job started', { job_id: 'job-1', event_type: 'job_started' });
 *   await new Promise((r) => logger.on('finish', r).end()); // or: await transport.close()
 *
 * log() never throws and calls winston's callback at once: the write costs
 * building the line plus the sink's write() (a copy into the exporter's
 * ring); everything after happens off the caller's thread. close() flushes
 * and closes an exporter the transport created; a sink it was given is
 * flushed only (its owner closes it).
 */
import TransportStream from 'winston-transport';
import type { LineSink } from '../contract.js';
import { createExporter } from '../export/create.js';
import type { ExporterOptions } from '../export/options.js';
import type { ExporterStatsDetail } from '../export/stats.js';
import { infoToLine } from './winston-line.js';

export interface JobscopeWinstonOptions extends TransportStream.TransportStreamOptions {
  /** Where lines go. Default: a new exporter built from `exporter`. */
  sink?: LineSink;
  /** Options of the exporter the transport creates (ignored with `sink`); OTEL_* variables apply. */
  exporter?: ExporterOptions;
  /** Deadline of close()/flush(), ms. Default: the exporter's flushTimeoutMs (5 s). */
  closeTimeoutMs?: number;
}

export interface WinstonTransportStats {
  /** info objects handed to log(). */
  logged: number;
  /** Lines the sink refused at once (queue full, closed): the exporter counts them in `dropped`. */
  refused: number;
  /** log() calls that failed inside (serialization or sink); the record was lost and counted here. */
  errors: number;
  /** The sink's stats (the exporter's, with drop reasons, when the transport created it). */
  sink: ExporterStatsDetail | ReturnType<LineSink['stats']>;
}

export class JobscopeWinstonTransport extends TransportStream {
  readonly #sink: LineSink;
  readonly #owned: boolean;
  readonly #timeoutMs: number | undefined;
  #logged = 0;
  #refused = 0;
  #errors = 0;
  #closing: Promise<void> | null = null;

  /** Throws only on invalid exporter options (a JobscopeError, code JS_CONFIG), as createExporter does. */
  constructor(opts: JobscopeWinstonOptions = {}) {
    const { sink, exporter, closeTimeoutMs, ...transportOpts } = opts;
    super(transportOpts);
    this.#owned = sink === undefined;
    this.#sink = sink ?? createExporter(exporter);
    this.#timeoutMs = closeTimeoutMs;
    // A winston transport is a Writable: an error emitted on it would be thrown if nobody listens.
    this.on('error', () => {});
  }

  override log(info: Record<PropertyKey, unknown>, callback: () => void): void {
    this.#logged++;
    try {
      if (!this.#sink.write(infoToLine(info))) this.#refused++;
    } catch {
      this.#errors++; // a foreign sink that throws: counted, never rethrown
    }
    if (this.listenerCount('logged') > 0) setImmediate(() => this.emit('logged', info));
    callback();
  }

  /** Sends (or spools) what was logged so far; resolves by the deadline. Never rejects. */
  async flush(timeoutMs = this.#timeoutMs): Promise<void> {
    try {
      await this.#sink.flush(timeoutMs);
    } catch {
      // the sink's own problem; its stats say what happened
    }
  }

  /**
   * Called by winston on logger.close()/remove(): flushes, and closes the
   * exporter when the transport created it. Returns a promise to await.
   */
  override close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#owned) {
        try {
          await this.#sink.close(this.#timeoutMs);
        } catch {
          // never rejects: see stats()
        }
      } else {
        await this.flush();
      }
      this.emit('closed');
    })();
    return this.#closing;
  }

  stats(): WinstonTransportStats {
    return { logged: this.#logged, refused: this.#refused, errors: this.#errors, sink: this.#sink.stats() };
  }
}

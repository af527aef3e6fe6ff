/**
 * The default LineSink: one JSON line per record on stdout, as pino writes
 * by default, so a ConnectorLogger is useful with no exporter attached.
 */
import type { Writable } from 'node:stream';
import type { ExporterStats, LineSink } from '../contract.js';

export class StreamSink implements LineSink {
  readonly #stream: Writable;
  #accepted = 0;
  #dropped = 0;

  constructor(stream: Writable = process.stdout) {
    this.#stream = stream;
    // An async write error (EPIPE when the reader went away) would otherwise be
    // an unhandled 'error' event, which crashes the worker.
    stream.on('error', () => {
      this.#dropped++;
    });
  }

  write(line: string): boolean {
    try {
      this.#accepted++;
      return this.#stream.write(line + '\n');
    } catch {
      this.#dropped++; // a closed stream (EPIPE) must not reach the caller
      return false;
    }
  }

  flush(timeoutMs = 5000): Promise<void> {
    const s = this.#stream;
    if (!s.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref?.();
      s.once('drain', done);
      function done(): void {
        clearTimeout(timer);
        s.off('drain', done);
        resolve();
      }
    });
  }

  close(timeoutMs?: number): Promise<void> {
    // stdout is not ours to end; flushing is all closing means here.
    return this.flush(timeoutMs);
  }

  stats(): ExporterStats {
    return {
      accepted: this.#accepted, sent: this.#accepted - this.#dropped, retried: 0, spooled: 0, replayed: 0,
      dropped: this.#dropped, batchesSent: 0, breaker: 'closed', queueBytes: this.#stream.writableLength ?? 0, spoolBytes: 0,
    };
  }
}

let stdoutSink: StreamSink | undefined;

/** One stdout sink per process, shared by every logger that has no sink of its own. */
export function defaultSink(): LineSink {
  return (stdoutSink ??= new StreamSink(process.stdout));
}

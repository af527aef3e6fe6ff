/** createExporter: validate once (the only place that throws), then pick the mode. */
import type { LineSink } from '../contract.js';
import { message } from './errors.js';
import { InlineSink } from './inline-sink.js';
import { resolveOptions, type ExporterOptions } from './options.js';
import type { ExporterStatsDetail } from './stats.js';
import { ThreadedSink } from './threaded-sink.js';

/** The exporter's sink: LineSink with the detailed stats. */
export interface Exporter extends LineSink {
  stats(): ExporterStatsDetail;
}

/**
 * Creates the exporter. Throws a JobscopeError (code JS_CONFIG) with a
 * precise message on invalid options or OTEL_* variables; never throws
 * after that. In worker mode, if a worker thread cannot be started, falls
 * back to inline mode (stats().lastError says why).
 */
export function createExporter(options: ExporterOptions = {}): Exporter {
  const c = resolveOptions(options);
  if (c.mode === 'inline') return new InlineSink(c);
  try {
    return new ThreadedSink(c);
  } catch (e) {
    const sink = new InlineSink({ ...c, mode: 'inline' });
    const stats = sink.stats.bind(sink);
    const why = `worker thread unavailable, running inline: ${message(e)}`;
    sink.stats = () => ({ ...stats(), lastError: stats().lastError ?? why });
    return sink;
  }
}

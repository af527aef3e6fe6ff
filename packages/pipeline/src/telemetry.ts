/**
 * What flows between the agent's components: one OTLP export request of one
 * signal (the decoded form of @jobscope/otlp). Receivers turn what they take
 * in (Fluent records, file lines, OTLP) into Telemetry; processors change it
 * in place; the disk buffer stores it encoded (buffer/telemetry-record.ts);
 * exporters send it on.
 */
import type { RequestBySignal, Signal } from '@jobscope/otlp';

export interface Telemetry<S extends Signal = Signal> {
  signal: S;
  request: RequestBySignal[S];
}

/**
 * The next stage. Resolves once the telemetry is durable (in the disk
 * buffer); only then may a receiver acknowledge its sender. Rejects with a
 * JobscopeError: JS_OVERLOADED / JS_UNAVAILABLE (with retryAfter) when the
 * buffer is full under the push-back policy — the receiver then pushes back
 * (HTTP 429/503, forward without ack, tail pauses) and must not count the
 * data as delivered.
 */
export type TelemetryConsumer = (t: Telemetry) => Promise<void>;

/** Number of items (log records, spans, metric data points) in a request. */
export function itemCount(t: Telemetry): number {
  let n = 0;
  switch (t.signal) {
    case 'logs':
      for (const rl of (t.request as RequestBySignal['logs']).resourceLogs) for (const sl of rl.scopeLogs) n += sl.logRecords.length;
      return n;
    case 'traces':
      for (const rs of (t.request as RequestBySignal['traces']).resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
      return n;
    case 'metrics':
      for (const rm of (t.request as RequestBySignal['metrics']).resourceMetrics) {
        for (const sm of rm.scopeMetrics) for (const m of sm.metrics) n += 'dataPoints' in m.data ? m.data.dataPoints.length : 0;
      }
      return n;
  }
}

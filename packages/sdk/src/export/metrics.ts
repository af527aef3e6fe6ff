/**
 * The exporter's counters as OpenTelemetry observable instruments, read
 * from stats() once per collection (no cost between collections). Wiring a
 * metrics exporter is the application's (or another issue's) business:
 * pass any Meter, e.g. `metrics.getMeter('@jobscope/sdk')`.
 *
 *   jobscope_sdk_exporter_records_total{outcome=accepted|sent|spooled|replayed|dropped}
 *   jobscope_sdk_exporter_dropped_total{reason=spool_full|malformed|oversize|rejected|queue_full|no_spool|spool_error|closed}
 *   jobscope_sdk_exporter_retries_total, jobscope_sdk_exporter_batches_sent_total
 *   jobscope_sdk_exporter_queue_bytes, jobscope_sdk_exporter_spool_bytes (gauges)
 *   jobscope_sdk_exporter_breaker_state (gauge: 0 closed, 1 open, 2 half-open)
 */
import type { Attributes, Meter } from '@opentelemetry/api';
import type { Exporter } from './create.js';
import { BREAKER_STATES } from './stats.js';

const DROP_REASONS = {
  spool_full: 'droppedSpoolFull', malformed: 'droppedMalformed', oversize: 'droppedOversize', rejected: 'droppedRejected',
  queue_full: 'droppedQueueFull', no_spool: 'droppedNoSpool', spool_error: 'droppedSpoolError', closed: 'droppedClosed',
} as const;
const OUTCOMES = ['accepted', 'sent', 'spooled', 'replayed', 'dropped'] as const;

/** Registers the instruments; returns a function that unregisters them. */
export function registerExporterMetrics(meter: Meter, exporter: Exporter, attributes: Attributes = {}): () => void {
  const p = 'jobscope_sdk_exporter_';
  const records = meter.createObservableCounter(`${p}records_total`, { description: 'Log records by outcome', unit: '{record}' });
  const dropped = meter.createObservableCounter(`${p}dropped_total`, { description: 'Dropped log records by reason', unit: '{record}' });
  const retries = meter.createObservableCounter(`${p}retries_total`, { description: 'Send attempts that failed and were retried' });
  const batches = meter.createObservableCounter(`${p}batches_sent_total`, { description: 'Batches acknowledged by the server' });
  const queue = meter.createObservableGauge(`${p}queue_bytes`, { description: 'Bytes waiting in memory', unit: 'By' });
  const spool = meter.createObservableGauge(`${p}spool_bytes`, { description: 'Bytes of the disk spool', unit: 'By' });
  const breaker = meter.createObservableGauge(`${p}breaker_state`, { description: '0 closed, 1 open, 2 half-open' });
  const observables = [records, dropped, retries, batches, queue, spool, breaker];
  const callback = (r: Parameters<Parameters<Meter['addBatchObservableCallback']>[0]>[0]): void => {
    const s = exporter.stats();
    for (const outcome of OUTCOMES) r.observe(records, s[outcome], { ...attributes, outcome });
    for (const [reason, key] of Object.entries(DROP_REASONS)) r.observe(dropped, s[key], { ...attributes, reason });
    r.observe(retries, s.retried, attributes);
    r.observe(batches, s.batchesSent, attributes);
    r.observe(queue, s.queueBytes, attributes);
    r.observe(spool, s.spoolBytes, attributes);
    r.observe(breaker, BREAKER_STATES.indexOf(s.breaker), attributes);
  };
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}

/**
 * The agent's Prometheus metrics, read from its stats at scrape time
 * (prom-client collect callbacks): nothing is counted twice and the hot path
 * pays nothing for metrics.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { FilterStats } from '@jobscope/pipeline';
import type { AgentStats } from '../agent.js';

export function agentRegistry(stats: () => AgentStats): Registry {
  const registry = new Registry();
  let snap: AgentStats | null = null;
  // one stats() per scrape, shared by every metric
  const s = (): AgentStats => (snap ??= stats());
  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter, st: AgentStats) => void): void => {
    // eslint-disable-next-line no-new
    new Counter({ name, help, labelNames, registers: [registry], collect() { this.reset(); fill(this, s()); } });
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, st: AgentStats) => void): void => {
    // eslint-disable-next-line no-new
    new Gauge({ name, help, labelNames, registers: [registry], collect() { this.reset(); fill(this, s()); } });
  };

  counter('jobscope_agent_records_in_total', 'Items (log records, spans, data points) accepted into the disk buffer, by receiver.', ['receiver'], (c, st) => {
    for (const [receiver, n] of Object.entries(st.intake.recordsIn)) c.inc({ receiver }, n);
  });
  counter('jobscope_agent_records_out_total', 'Items delivered and acknowledged, by destination.', ['exporter'], (c, st) => {
    for (const [exporter, e] of Object.entries(st.exporters)) c.inc({ exporter }, e.sentItems);
  });
  counter('jobscope_agent_records_dropped_total', 'Data dropped, by reason (buffer records for buffer_full and rejected, items otherwise).', ['reason'], (c, st) => {
    c.inc({ reason: 'buffer_full' }, st.buffer.droppedRecords);
    c.inc({ reason: 'corrupt' }, st.buffer.corruptRecords);
    let rejected = 0;
    let partial = 0;
    for (const e of Object.values(st.exporters)) { rejected += e.droppedRecords; partial += e.rejectedItems; }
    c.inc({ reason: 'rejected' }, rejected);
    c.inc({ reason: 'partial_success' }, partial);
    c.inc({ reason: 'filtered' }, filtered(st));
  });
  counter('jobscope_agent_records_retried_total', 'Requests retried, by destination.', ['exporter'], (c, st) => {
    for (const [exporter, e] of Object.entries(st.exporters)) c.inc({ exporter }, e.retries);
  });
  counter('jobscope_agent_refused_total', 'Requests refused with 429 because the disk buffer was full (push-back).', [], (c, st) => {
    c.inc(st.intake.refusedFull);
  });
  gauge('jobscope_agent_buffer_bytes', 'Bytes in the disk buffer.', [], (g, st) => g.set(st.buffer.bytesOnDisk));
  gauge('jobscope_agent_buffer_max_bytes', 'Bound of the disk buffer.', [], (g, st) => g.set(st.buffer.maxBytes));
  gauge('jobscope_agent_buffer_pending_records', 'Buffer records not yet acknowledged, by destination.', ['exporter'], (g, st) => {
    for (const [exporter, e] of Object.entries(st.exporters)) g.set({ exporter }, e.pendingRecords);
  });
  gauge('jobscope_agent_delivery_lag_seconds', 'Age of the oldest record not yet delivered, by destination.', ['exporter'], (g, st) => {
    for (const [exporter, e] of Object.entries(st.exporters)) g.set({ exporter }, e.lagMs / 1000);
  });
  // release the snapshot after the scrape's collect callbacks ran
  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => {
    snap = null;
    try { return await metrics(); } finally { snap = null; }
  };
  return registry;
}

/** Log records the filter processor dropped (0 when it is not configured). */
function filtered(st: AgentStats): number {
  const f = st.processors.filter as FilterStats | undefined;
  return f ? f.dropped.severity + f.dropped.rule + f.dropped.sample : 0;
}

/**
 * One span in full: timing, status, attributes, events, links, resource;
 * links to its job, its trace and its logs (by trace and span id).
 */
import type { Span } from '../types.js';
import { fmtDateTime, fmtDuration, nsDiffMs } from '../format.js';
import { hrefWith } from '../router.js';
import { term } from '../query.js';
import { around } from '../time.js';
import { KeyValues } from './KeyValues.js';
import { StatusBadge } from './StatusBadge.js';

export function spanLogsHref(s: Span): string {
  const r = around(s.startTime, s.endTime, 5 * 60_000);
  return hrefWith('/logs', { q: `${term('trace_id', s.traceId)} ${term('span_id', s.spanId)}`, from: r.from, to: r.to });
}

export function SpanDetails({ span, showTraceLink, onClose }: { span: Span | null; showTraceLink?: boolean; onClose?: () => void }) {
  if (!span) {
    return <section class="panel span-details" data-testid="span-details"><p class="muted">Click a span to see its attributes, events and links.</p></section>;
  }
  const s = span;
  return (
    <section class="panel span-details" data-testid="span-details" data-span-id={s.spanId}>
      <header class="panel-head">
        <h2 title={s.name}>{s.name}</h2>
        {onClose && <button type="button" class="btn small" aria-label="Close" onClick={onClose}>×</button>}
      </header>
      <div class="span-meta">
        <StatusBadge status={s.statusCode || 'Unset'} />
        <span><b>{fmtDuration(s.durationMs)}</b></span>
        <span>{s.kind}</span>
        <span>{s.serviceName}</span>
        <span title={s.startTime}>{fmtDateTime(s.startTime)}</span>
      </div>
      {s.statusMessage && <p class="status-message">{s.statusMessage}</p>}
      <div class="links">
        <a href={spanLogsHref(s)} data-testid="span-link-logs">logs of this span</a>
        {s.job_id && <a href={`/jobs/${encodeURIComponent(s.job_id)}`} data-testid="span-link-job">job {s.job_id}</a>}
        {showTraceLink && <a href={`/traces/${s.traceId}`}>whole trace</a>}
      </div>
      <dl class="ids">
        <dt>trace</dt><dd>{s.traceId}</dd>
        <dt>span</dt><dd>{s.spanId}</dd>
        <dt>parent</dt><dd>{s.parentSpanId || '(root)'}</dd>
        {s.machine_id && <><dt>machine</dt><dd>{s.machine_id}</dd></>}
        {s.worker_id && <><dt>worker</dt><dd>{s.worker_id}</dd></>}
      </dl>
      <h3>Attributes</h3>
      <KeyValues data={s.attributes ?? {}} />
      <h3>Events ({s.events?.length ?? 0})</h3>
      {(s.events ?? []).length === 0 ? <p class="muted">none</p> : (
        <ul class="span-events">
          {s.events.map((e, i) => (
            <li key={i}>
              <span class="mono">+{fmtDuration(nsDiffMs(s.startTimeNs, e.timeNs))}</span> <b>{e.name}</b>
              {Object.keys(e.attributes ?? {}).length > 0 && <KeyValues data={e.attributes} />}
            </li>
          ))}
        </ul>
      )}
      <h3>Links ({s.links?.length ?? 0})</h3>
      {(s.links ?? []).length === 0 ? <p class="muted">none</p> : (
        <ul class="span-links">
          {s.links.map((l, i) => (
            <li key={i}>
              <a href={`/traces/${l.traceId}`}>{l.traceId === s.traceId ? 'this trace' : `trace ${l.traceId.slice(0, 12)}…`}</a>
              <span class="mono"> span {l.spanId}</span>
              {Object.keys(l.attributes ?? {}).length > 0 && <KeyValues data={l.attributes} />}
            </li>
          ))}
        </ul>
      )}
      <h3>Resource</h3>
      <KeyValues data={s.resource ?? {}} />
    </section>
  );
}

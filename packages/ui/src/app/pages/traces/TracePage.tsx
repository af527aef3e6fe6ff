/**
 * One trace as a waterfall (GET /api/traces/:id): time bars, services
 * coloured, errors marked, a span's details on click (`?span=` keeps the
 * choice in the URL), links to each span's job and logs.
 */
import { useMemo } from 'preact/hooks';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { SpanDetails } from '../../components/SpanDetails.js';
import { serviceColor, Waterfall } from '../../components/Waterfall.js';
import { fmtCount, fmtDateTime, fmtDuration } from '../../format.js';
import { term } from '../../query.js';
import { useReady } from '../../ready.js';
import { hrefWith, navigate, useLocation, withParams } from '../../router.js';
import { around } from '../../time.js';
import type { SpanNode, TraceAnswer } from '../../types.js';
import { useApi } from '../../useApi.js';

function walk(roots: readonly SpanNode[]): SpanNode[] {
  const out: SpanNode[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    out.push(s);
    stack.push(...s.children);
  }
  return out;
}

export function TracePage({ id }: { id: string }) {
  const loc = useLocation();
  const ans = useApi<TraceAnswer>(`/api/traces/${encodeURIComponent(id)}`);
  const t = ans.fresh ? ans.data : null;
  useReady('trace', !!t);
  const all = useMemo(() => (t ? walk(t.roots) : []), [t]);
  const selectedId = loc.params.get('span');
  const selected = all.find((s) => s.spanId === selectedId) ?? null;
  const jobs = useMemo(() => [...new Set(all.map((s) => s.job_id).filter(Boolean))], [all]);
  const select = (s: SpanNode | null) => navigate(withParams({ span: s?.spanId ?? null }), { replace: true });

  return (
    <main class="page">
      <ErrorBanner error={ans.error} what={`trace ${id}`} onRetry={ans.reload} />
      {!t && !ans.error && <p class="loading">loading trace {id}…</p>}
      {t && (
        <>
          <section class="panel">
            <div class="job-title">
              <h1><span class="muted">trace</span> <span class="mono">{t.traceId}</span></h1>
              <span class="spacer" />
              <a class="btn" data-testid="link-logs" href={hrefWith('/logs', { q: term('trace_id', t.traceId), ...around(t.startTime, t.endTime, 5 * 60_000) })}>Logs</a>
            </div>
            <div class="facts">
              <div class="fact"><div class="fact-label">duration</div><div class="fact-value">{fmtDuration(t.durationMs)}</div></div>
              <div class="fact"><div class="fact-label">spans</div><div class="fact-value">{fmtCount(t.spanCount)}</div></div>
              <div class="fact"><div class="fact-label">errors</div><div class={`fact-value${t.errorCount > 0 ? ' err-text' : ''}`}>{t.errorCount}</div></div>
              <div class="fact"><div class="fact-label">started</div><div class="fact-value">{fmtDateTime(t.startTime)}</div></div>
              {t.orphans > 0 && <div class="fact"><div class="fact-label">orphans</div><div class="fact-value warn-text" title="spans whose parent is not stored">{t.orphans}</div></div>}
              {t.truncated && <div class="fact"><div class="fact-label">truncated</div><div class="fact-value warn-text">yes</div></div>}
            </div>
            <div class="legend">
              {t.services.map((s) => <span key={s} class="legend-item"><span class="svc-dot" style={{ background: serviceColor(t.services, s) }} />{s}</span>)}
            </div>
            {jobs.length > 0 && (
              <div class="links">
                <span class="muted">jobs:</span>
                {jobs.slice(0, 20).map((j) => <a key={j} class="mono" href={`/jobs/${encodeURIComponent(j)}`}>{j}</a>)}
                {jobs.length > 20 && <span class="muted">and {jobs.length - 20} more</span>}
              </div>
            )}
          </section>
          <div class="split">
            <div class="split-main panel">
              <Waterfall roots={t.roots} services={t.services} selected={selected?.spanId ?? null} onSelect={select} maxHeight={640} />
            </div>
            <div class="split-side">
              <SpanDetails span={selected} onClose={selected ? () => select(null) : undefined} />
            </div>
          </div>
        </>
      )}
    </main>
  );
}

/**
 * The job's one timeline: lifecycle events, logs and spans from every
 * process it touched, in time order, with the process, machine and worker
 * of each. Kinds can be hidden; errors stand out; a row opens its details.
 */
import { useMemo, useState } from 'preact/hooks';
import type { TimelineItem } from '../../types.js';
import { fmtClock, fmtDuration, nsDiffMs } from '../../format.js';
import { LevelBadge } from '../../components/StatusBadge.js';
import { VirtualList } from '../../components/VirtualList.js';

const ROW = 26;
const KINDS = ['event', 'log', 'span'] as const;

export function isErrorItem(t: TimelineItem): boolean {
  if (t.kind === 'span') return t.status === 'Error' || t.status === 'STATUS_CODE_ERROR';
  return t.level === 'error' || t.level === 'fatal' || t.event_type === 'job_failed' || t.event_type === 'job_timeout';
}

function what(t: TimelineItem): string {
  if (t.kind === 'span') return t.name ?? '';
  return t.event_type || '';
}

function text(t: TimelineItem): string {
  if (t.kind === 'span') return `${t.spanKind ?? ''} ${fmtDuration(t.durationMs)}${t.statusMessage ? ` — ${t.statusMessage}` : ''}`;
  return t.message ?? '';
}

export function Timeline({ items, onOpen }: { items: TimelineItem[]; onOpen: (t: TimelineItem) => void }) {
  const [shown, setShown] = useState<Record<string, boolean>>({ event: true, log: true, span: true });
  const [hideProgress, setHideProgress] = useState(false);
  const counts = useMemo(() => {
    const c: Record<string, number> = { event: 0, log: 0, span: 0 };
    for (const t of items) c[t.kind] = (c[t.kind] ?? 0) + 1;
    return c;
  }, [items]);
  const visible = useMemo(() => items.filter((t) => shown[t.kind] && !(hideProgress && t.event_type === 'job_progress')), [items, shown, hideProgress]);
  const t0 = items[0]?.timestamp_ns ?? '0';
  const errors = useMemo(() => items.filter(isErrorItem).length, [items]);

  return (
    <section class="panel" data-testid="job-timeline">
      <header class="panel-head">
        <h2>Timeline</h2>
        <span class="muted small">{items.length} entries{errors > 0 ? `, ${errors} errors` : ''}</span>
        <span class="spacer" />
        {KINDS.map((k) => (
          <label key={k} class="check">
            <input type="checkbox" checked={shown[k]} onChange={(e) => setShown({ ...shown, [k]: e.currentTarget.checked })} />
            {k}s ({counts[k]})
          </label>
        ))}
        <label class="check">
          <input type="checkbox" checked={hideProgress} onChange={(e) => setHideProgress(e.currentTarget.checked)} />hide progress
        </label>
      </header>
      <div class="tl-grid tl-head">
        <span>time</span><span class="num">+</span><span>kind</span><span>process</span><span>worker / machine</span><span>level</span><span>what</span><span>message</span>
      </div>
      <VirtualList count={visible.length} rowHeight={ROW} maxHeight={480} drawAllUpTo={300}
        empty={<p class="empty">Nothing to show.</p>}
        renderRow={(i) => { const t = visible[i]!; return (
          <div key={`${t.timestamp_ns}-${i}`} class={`tl-grid tl-row kind-${t.kind}${isErrorItem(t) ? ' error' : ''}`} role="button" tabIndex={0}
            data-testid="timeline-row" data-kind={t.kind} onClick={() => onOpen(t)} onKeyDown={(e) => { if (e.key === 'Enter') onOpen(t); }}>
            <span class="mono" title={t.timestamp}>{fmtClock(t.timestamp)}</span>
            <span class="num mono muted">{fmtDuration(nsDiffMs(t0, t.timestamp_ns))}</span>
            <span><span class={`kind-tag ${t.kind}`}>{t.kind}</span></span>
            <span class="ellipsis" title={t.service_name || t.service}>{t.kind === 'span' ? t.service : t.service_name}</span>
            <span class="ellipsis" title={`machine ${t.machine_id || '–'}, worker ${t.worker_id || '–'}`}>{t.worker_id || t.machine_id}</span>
            <span>{t.kind === 'span' ? <span class={`level ${isErrorItem(t) ? 'bad' : 'wait'}`}>{(t.status || 'unset').toLowerCase()}</span> : <LevelBadge level={t.level ?? ''} />}</span>
            <span class="ellipsis mono" title={what(t)}>{what(t)}</span>
            <span class="ellipsis" title={text(t)}>{text(t)}</span>
          </div>
        ); }}
      />
    </section>
  );
}

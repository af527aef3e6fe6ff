/**
 * The logs explorer: the search language with completion, a time range, a
 * volume histogram by level, facets with click-to-filter, a windowed result
 * list paged by cursor (bounded in memory), a record drawer, and live tail
 * (`live=1`). Everything that defines the view is in the URL.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { Facets, FACET_FIELDS } from '../../components/Facets.js';
import { LogDrawer } from '../../components/LogDrawer.js';
import { SearchBox } from '../../components/SearchBox.js';
import { TimeRangePicker } from '../../components/TimeRangePicker.js';
import { fmtCount } from '../../format.js';
import { addTerm, term } from '../../query.js';
import { useReady } from '../../ready.js';
import { navigate, useLocation, withParams } from '../../router.js';
import { rangeFrom, resolveRange } from '../../time.js';
import type { FacetsAnswer, LogRow, StatsAnswer } from '../../types.js';
import { useApi } from '../../useApi.js';
import { LOG_ROW_HEIGHT, LogList } from './LogList.js';
import { MAX_ROWS, usePagedLogs } from './usePagedLogs.js';
import { MAX_LIVE, useLiveTail, type LiveStatus } from './useLiveTail.js';
import { volumeInterval, VolumeChart } from './VolumeChart.js';

/** How often, at most, live mode reloads the volume chart and the facets. */
const LIVE_REFRESH_MS = 3000;
const LIVE_LABEL: Record<LiveStatus, string> = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…', stopped: 'stopped' };

export function LogsPage() {
  const loc = useLocation();
  const p = loc.params;
  const q = p.get('q') ?? '';
  const range = rangeFrom(p);
  const live = p.get('live') === '1';

  const paged = usePagedLogs(q, range, !live);
  const tail = useLiveTail(q, range, live);
  const interval = useMemo(() => { const r = resolveRange(range); return volumeInterval(r.toMs - r.fromMs); }, [range.from, range.to]);
  const stats = useApi<StatsAnswer>('/api/stats', { q, by: 'level', from: range.from, to: range.to, interval });
  const facets = useApi<FacetsAnswer>('/api/facets', { q, from: range.from, to: range.to, fields: FACET_FIELDS.join(',') });
  const [open, setOpen] = useState<LogRow | null>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const listReady = live ? tail.fresh : paged.fresh;
  const settled = (s: { fresh: boolean; error: unknown }) => s.fresh || s.error !== null;
  useReady('logs', listReady && settled(stats) && settled(facets));

  // A new search starts at the top.
  useEffect(() => { if (scroller.current) scroller.current.scrollTop = 0; }, [q, range.from, range.to, live]);

  // Live: the volume chart and the facets follow the records arriving (reloaded from the server, at most
  // every LIVE_REFRESH_MS and only after new records came; a relative range moves with the clock).
  const added = useRef(0);
  added.current = tail.added;
  useEffect(() => {
    if (!live) return;
    let seen = added.current;
    const id = setInterval(() => {
      if (added.current === seen || document.visibilityState !== 'visible') return;
      seen = added.current;
      stats.reload();
      facets.reload();
    }, LIVE_REFRESH_MS);
    return () => clearInterval(id);
  }, [live, stats.reload, facets.reload]);

  // Live rows arrive on top: someone reading further down keeps their place.
  const lastAdded = useRef(0);
  useLayoutEffect(() => {
    const delta = tail.added - lastAdded.current;
    lastAdded.current = tail.added;
    const el = scroller.current;
    if (el && delta > 0 && el.scrollTop > 0) el.scrollTop += delta * LOG_ROW_HEIGHT;
  }, [tail.added]);

  const refine = (t: string) => navigate(withParams({ q: addTerm(q, t) }));
  const pick = (field: string, value: string, exclude = false) => refine(`${exclude ? '-' : ''}${term(field, value)}`);
  const submit = (next: string) => {
    if (next === q) { paged.reload(); stats.reload(); facets.reload(); return; }
    navigate(withParams({ q: next || null }));
  };

  const listError = live ? tail.error : paged.error;
  const count = live ? tail.rows.length : paged.count;
  const rowAt = live ? (i: number) => tail.rows[i] ?? null : paged.rowAt;
  const empty = (live ? tail.fresh : paged.fresh)
    ? <p class="empty">{live ? 'Waiting for new records that match…' : 'No records match this search in this range.'}</p>
    : <p class="empty muted">loading…</p>;

  return (
    <main class="page fill">
      <div class="toolbar">
        <h1>Logs</h1>
        <SearchBox value={q} range={range} onSubmit={submit} />
        <TimeRangePicker range={range} />
        <button type="button" data-testid="live-toggle" aria-pressed={live} class={`btn live-btn${live ? ' on' : ''}`}
          title={live ? 'Stop the live tail' : 'Show new records as they arrive'}
          onClick={() => navigate(withParams({ live: live ? null : '1' }))}>
          <span class={`live-dot ${live ? tail.status : ''}`} />{live ? 'Live' : 'Live tail'}
        </button>
      </div>
      <ErrorBanner error={listError} what="logs" onRetry={live ? undefined : paged.reload} />
      {/* A bad query fails all three requests alike: say it once. */}
      {!listError && <ErrorBanner error={stats.error} what="the volume chart" onRetry={stats.reload} />}
      <div class="logs-body">
        <aside class="logs-side">
          {!listError && <ErrorBanner error={facets.error} what="facets" onRetry={facets.reload} />}
          <Facets facets={facets.data?.facets ?? null} onPick={pick} />
        </aside>
        <div class="logs-main">
          {stats.data && <VolumeChart stats={stats.data}
            onSelectRange={(a, b) => navigate(withParams({ from: new Date(a * 1000).toISOString(), to: new Date(b * 1000).toISOString(), live: null }))} />}
          <div class="list-meta">
            {live ? (
              <>
                <span class={`live-state ${tail.status}`}>{LIVE_LABEL[tail.status]}</span>
                <span>{fmtCount(tail.rows.length)} records, newest first{tail.rows.length >= MAX_LIVE ? ` (the newest ${fmtCount(MAX_LIVE)} kept)` : ''}</span>
                {tail.dropped > 0 && <span class="warn-text">{fmtCount(tail.dropped)} skipped: too many to show</span>}
                <button type="button" class="link-btn" onClick={tail.clear}>clear</button>
              </>
            ) : (
              <>
                <span>{fmtCount(paged.count)} records{paged.hasMore ? ' so far — scroll for more' : ''}</span>
                {paged.loadedRows < paged.count && <span class="muted">({fmtCount(paged.loadedRows)} in memory, at most {fmtCount(MAX_ROWS)})</span>}
                {paged.loadingMore && <span class="loading">loading…</span>}
              </>
            )}
          </div>
          <LogList count={count} rowAt={rowAt} onRange={live ? undefined : paged.onRange} onOpen={setOpen} selected={open}
            scrollRef={scroller} empty={empty} />
        </div>
      </div>
      {open && <LogDrawer row={open} onClose={() => setOpen(null)} onPick={(f, v) => pick(f, v)} />}
    </main>
  );
}

/**
 * Log search results as a list of pages (GET /api/logs with nextCursor),
 * loaded as the user scrolls, with at most MAX_ROWS rows in memory: pages
 * far from the view drop their rows but keep their cursor and size, so the
 * scrollbar stays true and a page scrolled back to is fetched again. The
 * range is frozen when the search starts, so every page reads one window.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { apiGet, ApiError, authVersion, isAbort } from '../../api.js';
import { useStore } from '../../store.js';
import { freezeRange, type Range } from '../../time.js';
import type { LogRow, LogsAnswer } from '../../types.js';

export const PAGE = 200;
export const MAX_ROWS = 5000;

interface Page {
  cursor: string | null;
  count: number;
  rows: LogRow[] | null;
  next: string | null;
  loading: boolean;
}

export interface PagedLogs {
  /** Rows known (loaded or dropped); the list's length. */
  count: number;
  rowAt: (i: number) => LogRow | null;
  /** Tell the pager what is in view: it loads and drops pages around it. */
  onRange: (first: number, last: number) => void;
  hasMore: boolean;
  loadingMore: boolean;
  loadedRows: number;
  error: ApiError | null;
  /** The first page of the current search has arrived. */
  fresh: boolean;
  reload: () => void;
}

export function usePagedLogs(q: string, range: Range, enabled: boolean): PagedLogs {
  const auth = useStore(authVersion);
  const [nonce, setNonce] = useState(0);
  const key = `${q}\n${range.from}\n${range.to}\n${auth}\n${nonce}`;
  const pages = useRef<Page[]>([]);
  const frozen = useRef<{ from: string; to: string }>({ from: '', to: '' });
  const ctrl = useRef<AbortController | null>(null);
  const view = useRef({ first: 0, last: 0 });
  const [, setVersion] = useState(0);
  const [state, setState] = useState<{ key: string; error: ApiError | null }>({ key: '', error: null });
  const bump = () => setVersion((v) => v + 1);

  const load = (index: number, ac: AbortController, forKey: string) => {
    const page = pages.current[index];
    if (!page || page.loading) return;
    page.loading = true;
    apiGet<LogsAnswer>('/api/logs', { q, from: frozen.current.from, to: frozen.current.to, limit: PAGE, cursor: page.cursor }, ac.signal).then(
      (ans) => {
        if (ac.signal.aborted) return;
        page.loading = false;
        page.rows = ans.rows;
        if (page.next === null || index === pages.current.length - 1) page.next = ans.nextCursor;
        page.count = ans.rows.length;
        evict();
        setState((s) => (s.key === forKey && s.error === null ? s : { key: forKey, error: null }));
        bump();
      },
      (e: unknown) => {
        page.loading = false;
        if (isAbort(e) || ac.signal.aborted) return;
        setState({ key: forKey, error: e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e)) });
      },
    );
  };

  /** Drops the rows of the pages farthest from the view until MAX_ROWS hold. */
  const evict = () => {
    const ps = pages.current;
    let loaded = ps.reduce((n, p) => n + (p.rows ? p.rows.length : 0), 0);
    if (loaded <= MAX_ROWS) return;
    const mid = (view.current.first + view.current.last) / 2;
    const starts: number[] = [];
    let at = 0;
    for (const p of ps) { starts.push(at); at += p.count; }
    const byDistance = ps.map((p, i) => ({ i, d: Math.abs(starts[i]! + p.count / 2 - mid) })).sort((a, b) => b.d - a.d);
    for (const { i } of byDistance) {
      if (loaded <= MAX_ROWS) break;
      const p = ps[i]!;
      const visible = starts[i]! + p.count > view.current.first && starts[i]! <= view.current.last;
      if (!p.rows || visible) continue;
      loaded -= p.rows.length;
      p.rows = null;
    }
  };

  useEffect(() => {
    ctrl.current?.abort();
    pages.current = [];
    bump();
    if (!enabled) return;
    const ac = new AbortController();
    ctrl.current = ac;
    frozen.current = freezeRange(range);
    view.current = { first: 0, last: 0 };
    pages.current = [{ cursor: null, count: 0, rows: null, next: null, loading: false }];
    load(0, ac, key);
    return () => ac.abort();
  }, [key, enabled]);

  const onRange = useCallback((first: number, last: number) => {
    view.current = { first, last };
    const ac = ctrl.current;
    if (!ac || ac.signal.aborted) return;
    const ps = pages.current;
    let at = 0;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      const near = at + p.count >= first - PAGE / 2 && at <= last + PAGE / 2;
      if (near && !p.rows && !p.loading) load(i, ac, key);
      at += p.count;
    }
    const tail = ps[ps.length - 1];
    // Near the end of what is known: ask for the next page.
    if (tail && tail.rows && tail.next && !tail.loading && last >= at - PAGE / 2 && !ps.some((p) => p.loading)) {
      ps.push({ cursor: tail.next, count: 0, rows: null, next: null, loading: false });
      load(ps.length - 1, ac, key);
      bump();
    }
  }, [key]);

  const ps = pages.current;
  const starts: number[] = [];
  let count = 0;
  let loadedRows = 0;
  for (const p of ps) { starts.push(count); count += p.count; loadedRows += p.rows?.length ?? 0; }
  const rowAt = (i: number): LogRow | null => {
    // binary search for the page holding row i
    let lo = 0;
    let hi = ps.length - 1;
    while (lo < hi) {
      const m = (lo + hi + 1) >> 1;
      if (starts[m]! <= i) lo = m; else hi = m - 1;
    }
    const p = ps[lo];
    return p?.rows?.[i - starts[lo]!] ?? null;
  };
  const tail = ps[ps.length - 1];
  return {
    count,
    rowAt,
    onRange,
    hasMore: !!tail?.next,
    loadingMore: ps.some((p) => p.loading),
    loadedRows,
    error: state.key === key ? state.error : null,
    fresh: state.key === key && state.error === null && !!ps[0]?.rows,
    reload: useCallback(() => setNonce((n) => n + 1), []),
  };
}

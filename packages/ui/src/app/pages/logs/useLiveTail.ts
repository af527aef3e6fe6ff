/**
 * Live tail: the newest matching records first (one GET /api/logs), then
 * every new one from GET /api/tail (Server-Sent Events read over fetch, so
 * the token header goes along). Reconnects with backoff; the buffer keeps the
 * newest MAX_LIVE rows.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { apiGet, ApiError, authVersion, isAbort, readSse } from '../../api.js';
import { useStore } from '../../store.js';
import type { Range } from '../../time.js';
import type { LogRow, LogsAnswer } from '../../types.js';

export const MAX_LIVE = 5000;
const SEED = 200;
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface LiveTail {
  rows: LogRow[];
  /** Rows put in front since the tail started (to keep the scroll position while reading). */
  added: number;
  status: LiveStatus;
  /** Records the server skipped because this client fell behind. */
  dropped: number;
  error: ApiError | null;
  fresh: boolean;
  clear: () => void;
}

const keyOf = (r: LogRow) => `${r.timestamp_ns}|${r.span_id}|${r.message}`;

export function useLiveTail(q: string, range: Range, enabled: boolean): LiveTail {
  const auth = useStore(authVersion);
  const [rows, setRows] = useState<LogRow[]>([]);
  const [added, setAdded] = useState(0);
  const [status, setStatus] = useState<LiveStatus>('stopped');
  const [dropped, setDropped] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [freshKey, setFreshKey] = useState('');
  const key = `${q}\n${range.from}\n${auth}`;
  const rowsRef = useRef<LogRow[]>([]);

  useEffect(() => {
    rowsRef.current = [];
    setRows([]);
    setAdded(0);
    setDropped(0);
    setError(null);
    if (!enabled) { setStatus('stopped'); return; }
    const ac = new AbortController();
    let seen = new Set<string>();
    let attempt = 0;
    let timer: number | undefined;

    const push = (batch: LogRow[]) => {
      // The stream sends oldest first; the list shows newest first.
      const fresh = batch.filter((r) => !seen.has(keyOf(r))).reverse();
      if (fresh.length === 0) return;
      const next = [...fresh, ...rowsRef.current];
      if (next.length > MAX_LIVE) next.length = MAX_LIVE;
      rowsRef.current = next;
      setRows(next);
      setAdded((a) => a + fresh.length);
    };

    const connect = () => {
      setStatus(attempt === 0 ? 'connecting' : 'reconnecting');
      readSse('/api/tail', { q }, {
        onOpen: () => { attempt = 0; setStatus('live'); setError(null); },
        onEvent: (event, data) => {
          if (event === 'logs') {
            try { push(JSON.parse(data) as LogRow[]); } catch { /* a malformed batch is skipped */ }
          } else if (event === 'dropped') {
            setDropped((d) => d + (Number(data) || 0));
          }
        },
      }, ac.signal).then(
        () => retry(),
        (e: unknown) => {
          if (isAbort(e) || ac.signal.aborted) return;
          const err = e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e));
          setError(err);
          // A bad query or a refused token will not get better by retrying.
          if (err.status === 400 || err.status === 401 || err.status === 403) { setStatus('stopped'); return; }
          retry();
        },
      );
    };
    const retry = () => {
      if (ac.signal.aborted) return;
      setStatus('reconnecting');
      const wait = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
      attempt++;
      timer = window.setTimeout(connect, wait * (0.8 + Math.random() * 0.4));
    };

    // Subscribe first, then read the newest stored rows, so nothing falls between the two.
    connect();
    apiGet<LogsAnswer>('/api/logs', { q, from: range.from, limit: SEED }, ac.signal).then(
      (ans) => {
        if (ac.signal.aborted) return;
        seen = new Set(ans.rows.map(keyOf));
        const have = new Set(rowsRef.current.map(keyOf));
        const merged = [...rowsRef.current, ...ans.rows.filter((r) => !have.has(keyOf(r)))];
        if (merged.length > MAX_LIVE) merged.length = MAX_LIVE;
        rowsRef.current = merged;
        setRows(merged);
        setFreshKey(key);
      },
      (e: unknown) => { if (!isAbort(e) && !ac.signal.aborted) setError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', String(e))); },
    );
    return () => { ac.abort(); clearTimeout(timer); setStatus('stopped'); };
  }, [key, enabled]);

  const clear = useCallback(() => { rowsRef.current = []; setRows([]); }, []);
  return { rows, added, status, dropped, error, fresh: enabled && freshKey === key, clear };
}

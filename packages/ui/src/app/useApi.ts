/**
 * Loads one API answer for the current parameters. Keeps the previous answer
 * on screen while the next loads (no flicker), aborts stale requests, and
 * says whether the data shown belongs to the current parameters (`fresh`),
 * which is what readiness waits for.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { apiGet, ApiError, authVersion, isAbort, type Params } from './api.js';
import { useStore } from './store.js';

export interface ApiState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** The data shown was loaded for the current path and parameters. */
  fresh: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null, params: Params = {}, opts: { refreshMs?: number } = {}): ApiState<T> {
  const auth = useStore(authVersion);
  const key = path === null ? '' : `${path}?${JSON.stringify(params)}#${auth}`;
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; key: string; loading: boolean }>(
    { data: null, error: null, key: '', loading: path !== null });
  const [tick, setTick] = useState(0);
  const paramsRef = useRef(params);
  paramsRef.current = params;

  useEffect(() => {
    if (path === null) return;
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    apiGet<T>(path, paramsRef.current, ac.signal).then(
      (data) => { if (!ac.signal.aborted) setState({ data, error: null, key, loading: false }); },
      (e: unknown) => {
        if (isAbort(e) || ac.signal.aborted) return;
        const err = e instanceof ApiError ? e : new ApiError(0, 'CLIENT', (e as Error).message);
        setState((s) => ({ data: s.data, error: err, key: s.key, loading: false }));
      },
    );
    return () => ac.abort();
  }, [key, tick]);

  useEffect(() => {
    if (!opts.refreshMs || path === null) return;
    const id = setInterval(() => { if (document.visibilityState === 'visible') setTick((t) => t + 1); }, opts.refreshMs);
    return () => clearInterval(id);
  }, [key, opts.refreshMs]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, fresh: state.key === key && state.data !== null, reload };
}

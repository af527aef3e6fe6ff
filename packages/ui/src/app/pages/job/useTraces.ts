/** Loads several traces at once (GET /api/traces/:id each); `done` when all have answered. */
import { useEffect, useState } from 'preact/hooks';
import { apiGet, ApiError, isAbort } from '../../api.js';
import type { TraceAnswer } from '../../types.js';

export function useTraces(ids: readonly string[]): { traces: TraceAnswer[]; error: ApiError | null; done: boolean } {
  const key = ids.join(',');
  const [state, setState] = useState<{ key: string; traces: TraceAnswer[]; error: ApiError | null }>({ key: '', traces: [], error: null });
  useEffect(() => {
    if (ids.length === 0) { setState({ key, traces: [], error: null }); return; }
    const ac = new AbortController();
    Promise.allSettled(ids.map((id) => apiGet<TraceAnswer>(`/api/traces/${id}`, {}, ac.signal))).then((results) => {
      if (ac.signal.aborted) return;
      const traces: TraceAnswer[] = [];
      let error: ApiError | null = null;
      for (const r of results) {
        if (r.status === 'fulfilled') traces.push(r.value);
        else if (!isAbort(r.reason)) error = r.reason instanceof ApiError ? r.reason : new ApiError(0, 'CLIENT', String(r.reason));
      }
      setState({ key, traces, error });
    });
    return () => ac.abort();
  }, [key]);
  return { traces: state.traces, error: state.error, done: state.key === key };
}

/**
 * A signal that aborts when `parent` does or after timeoutMs, whichever is
 * first, with explicit cleanup. (Rather than AbortSignal.any: each call would
 * hang a dependent signal on the exporter's long-lived stop signal.)
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True when the timeout, not the parent, aborted it. */
  timedOut(): boolean;
  /** Removes the timer and the parent listener; call when done. */
  dispose(): void;
}

export function deadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const ac = new AbortController();
  let timedOut = false;
  const onParent = (): void => ac.abort(parent.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    const e = new Error(`timed out after ${timeoutMs} ms`);
    e.name = 'TimeoutError';
    ac.abort(e);
  }, timeoutMs);
  timer.unref();
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  return {
    signal: ac.signal,
    timedOut: () => timedOut && !parent.aborted,
    dispose: () => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}

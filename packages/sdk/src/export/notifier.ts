/** Wakes every waiter on notify(); a wait may also end by timeout or abort (never rejects). Timers are unref'd. */
export class Notifier {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    const ws = [...this.#waiters];
    this.#waiters.clear();
    for (const w of ws) w();
  }

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted || timeoutMs <= 0) return resolve();
      const done = (): void => {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, timeoutMs);
      t.unref();
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }
}

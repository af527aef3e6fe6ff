/**
 * Wake-ups without polling: wait() resolves at the next notify(), rejects on
 * abort or when the notifier is failed (the log closed).
 */
export class Notifier {
  readonly #waiters = new Set<{ resolve: () => void; reject: (e: unknown) => void }>();
  #error: Error | null = null;

  wait(signal?: AbortSignal): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(w);
        reject(signal?.reason);
      };
      const w = {
        resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); },
        reject: (e: unknown) => { signal?.removeEventListener('abort', onAbort); reject(e); },
      };
      this.#waiters.add(w);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  notify(): void {
    if (this.#waiters.size === 0) return;
    const ws = [...this.#waiters];
    this.#waiters.clear();
    for (const w of ws) w.resolve();
  }

  fail(error: Error): void {
    this.#error = error;
    const ws = [...this.#waiters];
    this.#waiters.clear();
    for (const w of ws) w.reject(error);
  }
}

/**
 * Waits that a stop cuts short: once stopped, every pending and future
 * sleep resolves at once, so that Ctrl-C on the demo does not wait for
 * simulated jobs (or webhook backoffs) to run their course.
 */
export class Sleeper {
  readonly #pending = new Set<() => void>();
  #stopped = false;

  readonly sleep = (ms: number): Promise<void> => {
    if (this.#stopped || ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#pending.add(done);
    });
  };

  stop(): void {
    this.#stopped = true;
    for (const wake of [...this.#pending]) wake();
  }
}

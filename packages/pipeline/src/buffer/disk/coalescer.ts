/**
 * Runs an idempotent "write the latest state" task with at most one run in
 * flight and at most one queued: callers arriving while a run is in flight
 * share the next run, so N acks in a burst cost two ledger writes, not N.
 */
export class Coalescer {
  readonly #task: () => Promise<void>;
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;

  constructor(task: () => Promise<void>) {
    this.#task = task;
  }

  /** Resolves once a run that started after this call has finished. */
  run(): Promise<void> {
    if (this.#queued) return this.#queued;
    if (!this.#running) return this.#start();
    this.#queued = this.#running.catch(() => {}).then(() => {
      this.#queued = null;
      return this.#start();
    });
    return this.#queued;
  }

  /** Resolves when nothing is running or queued (never rejects). */
  async idle(): Promise<void> {
    while (this.#running || this.#queued) await (this.#queued ?? this.#running)?.catch(() => {});
  }

  #start(): Promise<void> {
    const p: Promise<void> = this.#task().finally(() => {
      if (this.#running === p) this.#running = null;
    });
    this.#running = p;
    return p;
  }
}

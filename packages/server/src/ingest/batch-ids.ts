/**
 * Remembers accepted batch ids so a retried batch is stored once.
 * In memory: a bounded insertion-ordered set (oldest forgotten first), plus
 * the in-flight promises of batches being accepted right now, so a retry
 * racing its original waits for the original's outcome. Persisted: ids are
 * written with their rows (write-ahead log, then jobscope_ingest_batches),
 * and reloaded at start for the dedup window.
 */
export class BatchIds {
  #done = new Set<string>();
  #inflight = new Map<string, Promise<void>>();
  readonly #max: number;

  constructor(max = 1_000_000) {
    this.#max = max;
  }

  get size(): number {
    return this.#done.size;
  }

  has(id: string): boolean {
    return this.#done.has(id);
  }

  inflight(id: string): Promise<void> | undefined {
    return this.#inflight.get(id);
  }

  /** Runs accept() once per id; concurrent duplicates share the outcome. */
  async once(id: string, accept: () => Promise<void>): Promise<'accepted' | 'duplicate'> {
    if (this.#done.has(id)) return 'duplicate';
    const running = this.#inflight.get(id);
    if (running) {
      await running;
      return 'duplicate';
    }
    const p = accept();
    this.#inflight.set(id, p);
    try {
      await p;
      this.add(id);
      return 'accepted';
    } finally {
      this.#inflight.delete(id);
    }
  }

  add(id: string): void {
    if (!id || this.#done.has(id)) return;
    this.#done.add(id);
    if (this.#done.size > this.#max) {
      const oldest = this.#done.values().next().value as string;
      this.#done.delete(oldest);
    }
  }
}

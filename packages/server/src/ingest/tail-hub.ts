/**
 * Live tail: log rows accepted by ingest are offered to subscribers (the
 * SSE endpoint). Each subscriber has a predicate compiled from its query
 * and a bounded queue; a slow subscriber loses the oldest rows (counted and
 * reported to it), it never slows ingest down.
 */
import type { LogRow } from '@jobscope/core';

export interface TailSubscriber {
  match(row: LogRow): boolean;
  push(rows: LogRow[]): void;
}

export class TailHub {
  #subs = new Set<TailSubscriber>();

  get size(): number {
    return this.#subs.size;
  }

  subscribe(s: TailSubscriber): () => void {
    this.#subs.add(s);
    return () => this.#subs.delete(s);
  }

  publish(rows: readonly LogRow[]): void {
    if (this.#subs.size === 0) return;
    for (const s of this.#subs) {
      const hit = rows.filter((r) => s.match(r));
      if (hit.length > 0) s.push(hit);
    }
  }
}

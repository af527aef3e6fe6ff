/**
 * MemoryDecisionChannel: decisions shared by the Tracing instances of one
 * Node process (the simulated fleet runs several "processes" in one), and
 * what tests use to stand for processes. publish() delivers synchronously
 * to every subscriber (the publisher's own included); a subscriber that
 * throws is skipped, never the publisher's problem.
 */
import type { DecisionChannel, TraceDecision } from '../contract.js';

export class MemoryDecisionChannel implements DecisionChannel {
  readonly #subscribers = new Set<(d: TraceDecision) => void>();
  #published = 0;

  publish(decision: TraceDecision): void {
    this.#published++;
    for (const cb of [...this.#subscribers]) {
      try {
        cb(decision);
      } catch {
        // a subscriber's failure is its own
      }
    }
  }

  subscribe(cb: (decision: TraceDecision) => void): () => void {
    const own = (d: TraceDecision): void => cb(d);
    this.#subscribers.add(own);
    return () => {
      this.#subscribers.delete(own);
    };
  }

  /** Decisions published so far. */
  get published(): number {
    return this.#published;
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }
}

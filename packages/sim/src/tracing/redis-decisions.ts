/**
 * Trace keep/drop decisions shared through Redis pub/sub (channel
 * `traces:decisions`), so that every process holding spans of a job's trace
 * — the API service's submit span, the worker's, the webhook service's —
 * learns the outcome the worker decided at the job's end (docs/traces.md).
 *
 * One publisher and one subscriber connection per channel object. Delivery
 * is at-most-once, as Redis pub/sub is: a decision missed during a Redis
 * hiccup leaves that process's held spans to expire at maxHoldMs (counted
 * in spansEvicted), never blocks or throws into the caller.
 */
import { Redis } from 'ioredis';
import type { DecisionChannel, TraceDecision } from '@jobscope/sdk';

export const DECISIONS_CHANNEL = 'traces:decisions';
const TRACE_ID = /^[0-9a-f]{32}$/;

/** A published message back to a decision; undefined when it is not one. */
export function parseDecision(text: string): TraceDecision | undefined {
  try {
    const d = JSON.parse(text) as Partial<TraceDecision>;
    if (typeof d.traceId !== 'string' || !TRACE_ID.test(d.traceId) || typeof d.keep !== 'boolean') return undefined;
    return { traceId: d.traceId, keep: d.keep, reason: typeof d.reason === 'string' ? d.reason.slice(0, 64) : '' };
  } catch {
    return undefined;
  }
}

export class RedisDecisionChannel implements DecisionChannel {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #channel: string;
  readonly #subscribers = new Set<(d: TraceDecision) => void>();
  #subscribed: Promise<unknown> | null = null;
  #closed = false;
  published = 0;
  received = 0;
  errors = 0;

  constructor(url: string, opts: { keyPrefix?: string } = {}) {
    this.#channel = `${opts.keyPrefix ?? ''}${DECISIONS_CHANNEL}`;
    this.#pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    this.#sub = this.#pub.duplicate();
    for (const c of [this.#pub, this.#sub]) c.on('error', () => { this.errors++; });
    this.#sub.on('message', (channel: string, text: string) => {
      if (channel !== this.#channel) return;
      const d = parseDecision(text);
      if (!d) return;
      this.received++;
      for (const cb of [...this.#subscribers]) {
        try {
          cb(d);
        } catch {
          // a subscriber's failure is its own
        }
      }
    });
  }

  /** Resolves once the subscription is active (decisions published after it are seen). */
  async ready(): Promise<void> {
    this.#subscribed ??= this.#sub.subscribe(this.#channel);
    await this.#subscribed;
  }

  publish(decision: TraceDecision): void {
    if (this.#closed) return;
    this.published++;
    this.#pub.publish(this.#channel, JSON.stringify(decision)).catch(() => { this.errors++; });
  }

  subscribe(cb: (decision: TraceDecision) => void): () => void {
    const own = (d: TraceDecision): void => cb(d);
    this.#subscribers.add(own);
    void this.ready().catch(() => { this.errors++; });
    return () => { this.#subscribers.delete(own); };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscribers.clear();
    await Promise.all([this.#pub, this.#sub].map(async (c) => {
      try {
        await c.quit();
      } catch {
        c.disconnect();
      }
    }));
  }
}

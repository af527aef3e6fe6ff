/**
 * Sends one batch through the reliability chain (layers.ts) and says what
 * the sender should do next, so the sender loop holds no policy:
 * sent | dropped (permanent) | broken (breaker open: spool, wait) |
 * failed (retry cycle exhausted: keep the batch, wait) | aborted.
 */
import type { CircuitBreakerPolicy } from 'cockatiel';
import type { Batch } from './batch.js';
import { isAbort, isPermanent, message } from './errors.js';
import { OtlpHttpClient } from './http.js';
import { breakerCode, buildChain, createBreaker, isBrokenCircuit, retryDelayOf, type Send } from './layers.js';
import type { ResolvedConfig } from './options.js';
import { C, type Counters } from './stats.js';

export type Outcome =
  | { kind: 'sent'; rejected: number }
  | { kind: 'dropped'; error: string }
  | { kind: 'broken'; waitMs: number }
  | { kind: 'failed'; waitMs: number; error: string }
  | { kind: 'aborted' };

export class Delivery {
  readonly breaker: CircuitBreakerPolicy;
  readonly #chain: Send;
  readonly #client: OtlpHttpClient | null;
  readonly #c: ResolvedConfig;

  /** `post` replaces the HTTP client (tests). */
  constructor(c: ResolvedConfig, counters: Counters, post?: Send) {
    this.#c = c;
    this.#client = post ? null : new OtlpHttpClient(c.endpoint, c.headers, c.signal);
    const client = this.#client;
    const inner: Send = post ?? ((b, s) => (client as OtlpHttpClient).post(b, s));
    this.breaker = createBreaker(c.breaker);
    this.breaker.onStateChange(() => counters.set(C.breaker, breakerCode(this.breaker)));
    this.#chain = buildChain(inner, c, this.breaker, () => counters.add(C.retried, 1));
  }

  /** Open or half-open: new batches should go to the spool. */
  breakerOpen(): boolean {
    return breakerCode(this.breaker) !== 0;
  }

  async send(batch: Batch, signal: AbortSignal): Promise<Outcome> {
    try {
      const r = await this.#chain(batch, signal);
      return { kind: 'sent', rejected: Math.min(batch.records, r.rejected) };
    } catch (e) {
      if (signal.aborted || isAbort(e)) return { kind: 'aborted' };
      if (isPermanent(e)) return { kind: 'dropped', error: message(e) };
      // Also when this very failure opened the breaker: spool now, not after the next attempt.
      if (isBrokenCircuit(e) || this.breakerOpen()) return { kind: 'broken', waitMs: Math.max(this.#c.breaker.halfOpenAfterMs, retryDelayOf(e) ?? 0) };
      return { kind: 'failed', waitMs: retryDelayOf(e) ?? this.#c.retry.maxDelayMs, error: message(e) };
    }
  }

  close(): void {
    this.#client?.destroy();
  }
}

/**
 * Waiting between attempts: exponential backoff with full jitter (cockatiel's
 * ExponentialBackoff + fullJitterGenerator: attempt n waits a uniform random
 * time in [0, min(maxDelay, initialDelay · 2^n)]), restarted for every batch,
 * and an abortable sleep so close() never waits out a delay.
 */
import { ExponentialBackoff, fullJitterGenerator, type IBackoff } from 'cockatiel';
import type { OtlpHttpExporterRetryConfig } from './config.js';

export class Backoff {
  readonly #factory: ExponentialBackoff<unknown>;
  #current: IBackoff<unknown> | undefined;

  constructor(c: OtlpHttpExporterRetryConfig) {
    this.#factory = new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: c.initialDelayMs, maxDelay: c.maxDelayMs });
  }

  /** The next delay in ms. */
  next(): number {
    this.#current = this.#current ? this.#current.next(undefined) : this.#factory.next();
    return this.#current.duration;
  }

  reset(): void {
    this.#current = undefined;
  }
}

/**
 * Resolves after ms, or rejects with the signal's reason when it aborts
 * first. The timer is unref'd: the exporter never keeps a process alive by
 * itself.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    t.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

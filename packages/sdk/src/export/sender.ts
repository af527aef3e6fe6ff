/**
 * The sender loop: one batch at a time, in queue order (memory, then the
 * spool), through Delivery. A batch that fails stays in the hand and is
 * tried again after the wait Delivery asks for; nothing is dropped here
 * except what the server refuses for good. The loop never throws: an
 * unexpected error is reported and the loop goes on after a pause.
 */
import type { Delivery } from './delivery.js';
import type { BatchQueue, Item } from './queue.js';
import { C, type Counters } from './stats.js';
import { sleep } from './layers.js';

const IDLE_WAIT_MS = 1000;
const ERROR_PAUSE_MS = 1000;

export class Sender {
  readonly #queue: BatchQueue;
  readonly #delivery: Delivery;
  readonly #counters: Counters;
  readonly #onError: (e: unknown) => void;
  readonly #stop = new AbortController();
  readonly #done: Promise<void>;

  constructor(queue: BatchQueue, delivery: Delivery, counters: Counters, onError: (e: unknown) => void) {
    this.#queue = queue;
    this.#delivery = delivery;
    this.#counters = counters;
    this.#onError = onError;
    this.#done = this.#run();
  }

  /** Stops the loop (aborting the request in flight) and waits for it, at most timeoutMs. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stop.abort();
    this.#queue.changed.notify();
    await Promise.race([this.#done, sleep(timeoutMs)]);
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal;
    let item: Item | null = null;
    while (!stop.aborted) {
      try {
        item ??= await this.#queue.take();
        if (!item) {
          await this.#queue.changed.wait(IDLE_WAIT_MS, stop);
          continue;
        }
        if (item.handedOff) {
          this.#queue.finish(item, 0, 0);
          item = null;
          continue;
        }
        const o = await this.#delivery.send(item.batch, AbortSignal.any([stop, item.abort.signal]));
        switch (o.kind) {
          case 'sent':
            this.#queue.finish(item, item.batch.records - o.rejected, o.rejected);
            item = null;
            break;
          case 'dropped':
            this.#onError(new Error(`batch ${item.batch.id} dropped: ${o.error}`));
            this.#queue.finish(item, 0, item.batch.records);
            item = null;
            break;
          case 'aborted':
            if (item.handedOff) {
              this.#queue.finish(item, 0, 0);
              item = null;
            } else if (!stop.aborted) {
              await sleep(ERROR_PAUSE_MS, stop).catch(() => {});
            }
            break;
          case 'broken':
            this.#queue.enterSpoolMode();
            await sleep(o.waitMs, stop).catch(() => {});
            break;
          case 'failed':
            this.#counters.add(C.batchesFailed, 1);
            this.#onError(new Error(`batch ${item.batch.id} not sent yet: ${o.error}`));
            await sleep(o.waitMs, stop).catch(() => {});
            break;
        }
      } catch (e) {
        this.#onError(e);
        await sleep(ERROR_PAUSE_MS, stop).catch(() => {});
      }
    }
  }
}

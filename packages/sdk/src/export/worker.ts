/**
 * The worker thread of mode 'worker': drains the ring into the pipeline and
 * answers the caller's flush/close/exit requests. Control messages:
 *   { t: 'flush' | 'close', id, deadline, lines } → { t: 'done', id }
 *   { t: 'exit', deadline, lines }  → CTL_EXIT_DONE set and notified (the
 *     caller's thread is blocked in Atomics.wait inside process 'exit')
 * `lines` are the caller's overflow (lines that did not fit in the ring).
 * Worker → caller also: { t: 'error', message } (rate-limited), { t: 'spool', dir }.
 * Nothing here may end the thread: errors are reported and counted.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { message } from './errors.js';
import type { ResolvedConfig } from './options.js';
import { Pipeline } from './pipeline.js';
import { CTL_EXIT_DONE, CTL_SLEEP, prefault, RingReader, SLEEP_AWAKE, SLEEP_IDLE, SLEEP_POLL, type RingBuffers } from './ring.js';
import { Counters } from './stats.js';

export interface WorkerData {
  config: ResolvedConfig;
  ring: RingBuffers;
  stats: SharedArrayBuffer;
}

export type ControlMessage =
  | { t: 'flush' | 'close'; id: number; deadline: number; lines: string[] }
  | { t: 'exit'; deadline: number; lines: string[] };

/**
 * While lines flow the worker looks at the ring every POLL_MS and the caller
 * wakes it only past half full; after IDLE_AFTER empty polls it sleeps until
 * woken (the caller then pays one Atomics.notify, on the next line).
 */
const POLL_MS = 10;
const IDLE_AFTER = 20;
const IDLE_MS = 1000;
const READ_CHUNK = 1024;
const ERROR_REPORT_MS = 500;

type WaitAsync = (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

if (!parentPort) throw new Error('export/worker.js must run as a worker thread');
const port = parentPort;
const data = workerData as WorkerData;
prefault(data.ring);
const reader = new RingReader(data.ring);
const ctl = reader.ctl;
let lastReport = 0;

function report(e: unknown): void {
  const now = Date.now();
  if (now - lastReport < ERROR_REPORT_MS) return;
  lastReport = now;
  port.postMessage({ t: 'error', message: message(e) });
}
process.on('uncaughtException', report);
process.on('unhandledRejection', report);

const pipeline = new Pipeline(data.config, new Counters(data.stats), {
  onError: report,
  onSpool: (dir) => port.postMessage({ t: 'spool', dir }),
});
let stopped = false;

/** Moves lines from the ring into the pipeline; forced: even past its soft bound (flush/close). */
function drain(force: boolean): number {
  let total = 0;
  for (;;) {
    const n = reader.read(READ_CHUNK, (line, bytes) => pipeline.offer(line, bytes, force));
    total += n;
    if (n < READ_CHUNK) return total;
  }
}

async function loop(): Promise<void> {
  let empty = 0;
  while (!stopped) {
    const n = drain(false);
    empty = n > 0 ? 0 : empty + 1;
    if (stopped) break;
    if (!reader.isEmpty()) {
      // The pipeline is saturated (encoding or disk behind): the lines wait in the ring.
      await pipeline.waitForRoom(POLL_MS);
      continue;
    }
    const mode = empty < IDLE_AFTER ? SLEEP_POLL : SLEEP_IDLE;
    Atomics.store(ctl, CTL_SLEEP, mode);
    if (reader.isEmpty()) {
      const w = waitAsync(ctl, CTL_SLEEP, mode, mode === SLEEP_POLL ? POLL_MS : IDLE_MS);
      if (w.async) await w.value;
    }
    Atomics.store(ctl, CTL_SLEEP, SLEEP_AWAKE);
  }
}

async function handle(m: ControlMessage): Promise<void> {
  try {
    drain(true);
    for (const line of m.lines) pipeline.offer(line, Buffer.byteLength(line), true);
    if (m.t === 'flush') {
      await pipeline.flush(m.deadline);
    } else {
      stopped = true;
      await pipeline.close(m.deadline, m.t === 'close');
    }
  } catch (e) {
    report(e);
  } finally {
    if (m.t === 'exit') {
      Atomics.store(ctl, CTL_EXIT_DONE, 1);
      Atomics.notify(ctl, CTL_EXIT_DONE);
    } else {
      port.postMessage({ t: 'done', id: m.id });
    }
  }
}

port.on('message', (m: ControlMessage) => void handle(m));
void loop().catch(report);

/**
 * installShutdownHooks: close the sink (or shut a Tracing down) on SIGTERM, SIGINT and beforeExit,
 * without taking the process's fate away from the application:
 * - a signal the application also listens to: we only close the sink; the
 *   application's own handler decides when to exit (if it exits at once,
 *   the sink's process 'exit' hook still spools, in worker mode);
 * - a signal nobody else listens to: after close, our listener is removed
 *   and the signal raised again, so the process ends exactly as Node's
 *   default would have ended it (killed by that signal);
 * - a second signal while closing: raised again at once (impatient Ctrl-C);
 * - beforeExit (the event loop ran dry): close once; the process then exits
 *   normally when close resolves.
 */
import type { LineSink } from '../contract.js';

export interface ShutdownHookOptions {
  /** Deadline of close(). Default 5000 ms. */
  timeoutMs?: number;
  /** Default ['SIGTERM', 'SIGINT']. */
  signals?: NodeJS.Signals[];
  /** Called (once) when shutdown starts, before close: e.g. stop producing. Must not throw (errors are ignored). */
  onShutdown?: (reason: NodeJS.Signals | 'beforeExit') => void;
}

/** What the hooks close: an exporter (close) or a Tracing (shutdown). */
export type Closable = Pick<LineSink, 'close'> | { shutdown(timeoutMs?: number): Promise<void> };

/** Installs the hooks; returns a function that removes them. */
export function installShutdownHooks(sink: Closable, opts: ShutdownHookOptions = {}): () => void {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  let closing: Promise<void> | null = null;

  const start = (reason: NodeJS.Signals | 'beforeExit'): Promise<void> => {
    if (!closing) {
      try {
        opts.onShutdown?.(reason);
      } catch {
        // the application's callback must not stop the shutdown
      }
      closing = ('close' in sink ? sink.close(timeoutMs) : sink.shutdown(timeoutMs)).catch(() => {});
    }
    return closing;
  };

  const onSignal = (sig: NodeJS.Signals): void => {
    if (closing) {
      uninstall();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
      return;
    }
    void start(sig).then(() => {
      uninstall();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  };
  const onBeforeExit = (): void => {
    void start('beforeExit');
  };

  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const sig of signals) {
    const h = (): void => onSignal(sig);
    handlers.set(sig, h);
    process.on(sig, h);
  }
  process.on('beforeExit', onBeforeExit);

  function uninstall(): void {
    for (const [sig, h] of handlers) process.off(sig, h);
    handlers.clear();
    process.off('beforeExit', onBeforeExit);
  }
  return uninstall;
}

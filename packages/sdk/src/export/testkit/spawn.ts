/** Spawns testkit/child.js and collects its JSON lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ChildConfig } from './child.js';

export interface ChildHandle {
  proc: ChildProcess;
  messages: Record<string, unknown>[];
  /** Resolves with the first message matching `pred` (or null when the child exits first). */
  waitFor(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown> | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function spawnChild(cfg: ChildConfig): ChildHandle {
  const proc = spawn(process.execPath, [new URL('./child.js', import.meta.url).pathname, JSON.stringify(cfg)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let done = false;
  proc.stderr?.on('data', (c: Buffer) => { err += c.toString(); });
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (l) => {
    try {
      messages.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      return;
    }
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
    proc.on('exit', (code, signal) => {
      setImmediate(() => {
        done = true;
        r({ code, signal });
        for (const w of [...waiters]) w();
      });
    });
  });
  return {
    proc, messages, exited,
    stderr: () => err,
    waitFor(pred, timeoutMs = 30_000) {
      return new Promise((resolve) => {
        const check = (): void => {
          const m = messages.find(pred);
          if (m || done) {
            waiters.delete(check);
            clearTimeout(t);
            resolve(m ?? null);
          }
        };
        const t = setTimeout(() => { waiters.delete(check); resolve(null); }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

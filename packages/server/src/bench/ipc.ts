/**
 * The bench's side of a measured child process (child.ts): fork it with
 * its own data directory, send commands, await replies, clean up.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

type Reply = { id: number; ok: boolean; result?: unknown; error?: string };

export class Child {
  readonly dataDir: string;
  readonly #proc: ChildProcess;
  readonly #ownsDir: boolean;
  #next = 1;
  #waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #exited: Promise<void>;

  private constructor(proc: ChildProcess, dataDir: string, ownsDir: boolean) {
    this.#proc = proc;
    this.dataDir = dataDir;
    this.#ownsDir = ownsDir;
    this.#exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.on('message', (m: Reply) => {
      const w = this.#waiting.get(m.id);
      if (!w) return;
      this.#waiting.delete(m.id);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(`child: ${m.error}`));
    });
    proc.once('exit', (code) => {
      for (const w of this.#waiting.values()) w.reject(new Error(`child exited (${code})`));
      this.#waiting.clear();
    });
  }

  /** Forks child.js in `mode` on a fresh temporary data directory (or the given one) and waits until it is ready. */
  static async start(mode: 'server' | 'direct', dataDir?: string): Promise<Child> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), `jobscope-bench-${mode}-`));
    const proc = fork(CHILD, [mode, dir], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16' },
    });
    const c = new Child(proc, dir, dataDir === undefined);
    await c.#expect(0);
    return c;
  }

  get pid(): number { return this.#proc.pid ?? -1; }

  call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
    const id = this.#next++;
    const p = this.#expect(id) as Promise<T>;
    this.#proc.send({ id, cmd, args });
    return p;
  }

  /** Closes the child's server/store, waits for exit; removes the data directory unless `keep`. */
  async stop(keep = false): Promise<void> {
    if (this.#proc.exitCode === null && this.#proc.connected) {
      await this.call('close').catch(() => {});
      const timer = setTimeout(() => this.#proc.kill('SIGKILL'), 30_000);
      await this.#exited;
      clearTimeout(timer);
    }
    if (this.#ownsDir && !keep) rmSync(this.dataDir, { recursive: true, force: true });
  }

  #expect(id: number): Promise<unknown> {
    return new Promise((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
  }
}

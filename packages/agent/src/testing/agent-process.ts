/** Test helper: the real `jobscope agent` CLI as a child process, with its bound addresses. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  /** host:port of each listener, from the ready line. */
  addresses: Record<string, string>;
  exited: Promise<number | null>;
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
}

export function startAgentProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<AgentProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'agent', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`agent did not start: ${out}`)); }, 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /jobscope agent ready: (.*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const addresses: Record<string, string> = {};
        for (const part of (m[1] as string).split(' ')) {
          const kv = /^(\w+)=(.+)$/.exec(part);
          if (kv) addresses[kv[1] as string] = kv[2] as string;
        }
        child.stderr!.off('data', onData);
        child.stderr!.on('data', (x: Buffer) => { out += x.toString(); });
        resolve({
          child, addresses, exited, output: () => out,
          async stop() { child.kill('SIGTERM'); return await exited; },
        });
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`agent exited ${code} before ready: ${out}`)); });
  });
}

/** Polls until check() returns a truthy value, or throws after timeoutMs. */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 30_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A port nothing listens on (bound once, then released): a destination that is down. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

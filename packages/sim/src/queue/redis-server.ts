/**
 * A private redis-server for tests and for the demo when REDIS_URL is not
 * set: Debian's binary on a free port, bound to 127.0.0.1 only, in a new
 * temporary directory, with persistence off. Ready once it answers PING;
 * stop() shuts it down and removes the directory.
 *
 * It runs in a process group of its own, under a small shell guard
 * (`sh -c`), so that Ctrl-C in a terminal (SIGINT to the foreground group)
 * does not kill it while the demo is still stopping cleanly — the demo
 * stops it last. It never outlives this process: on a normal exit (even an
 * uncaught exception) the exit hook kills the group; if this process is
 * killed outright (SIGKILL), the guard sees its stdin pipe close and stops
 * the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { JobscopeError } from '@jobscope/core';

export interface RedisServerHandle {
  url: string;
  port: number;
  /** The server's working directory (removed by stop()). */
  dir: string;
  stop(): Promise<void>;
}

const BINARY = 'redis-server';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 5000;
/**
 * `sh -c GUARD name redis-server args…`: runs the server, and a watcher that
 * stops it when stdin (a pipe from this process) closes — i.e. when this
 * process is gone, however it went. The guard exits with the server.
 */
// (A background job's stdin is /dev/null in sh unless redirected: the watcher reads a copy, fd 3.)
const GUARD = 'exec 3<&0; "$@" </dev/null & server=$!; (cat <&3 >/dev/null; kill "$server" 2>/dev/null) & exec 3<&-; wait "$server"';
const STOP_TIMEOUT_MS = 3000;

/** Whether redis-server is an executable on PATH. */
export function redisServerAvailable(): boolean {
  return binaryPath() !== undefined;
}

function binaryPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, BINARY);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A port the OS calls free right now (another process may still take it first; start retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port assigned'))));
    });
  });
}

/** One PING over a raw socket: true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: HOST, port });
    let buf = '';
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export async function startRedisServer(opts: { port?: number } = {}): Promise<RedisServerHandle> {
  const fixed = opts.port;
  if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 1 || fixed > 65535)) {
    throw new JobscopeError('JS_BAD_REQUEST', 'port must be an integer from 1 to 65535');
  }
  const bin = binaryPath();
  if (!bin) throw new JobscopeError('JS_UNAVAILABLE', `${BINARY} not found on PATH (install redis-server or set REDIS_URL)`);
  // A free port can be taken between choosing it and redis binding it: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < (fixed === undefined ? 3 : 1); attempt++) {
    try {
      return await startOnce(bin, fixed ?? (await freePort()));
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function startOnce(bin: string, port: number): Promise<RedisServerHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'jobscope-redis-'));
  const child = spawn('/bin/sh', [
    '-c', GUARD, 'jobscope-redis-guard', bin,
    '--port', String(port), '--bind', HOST, '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no',
  ], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (d: Buffer): void => {
    output = (output + d.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnError: Error | undefined;
  child.on('error', (err) => {
    spawnError = err;
  });
  // Neither the child nor its pipes keep this process alive; the exit hook kills it instead.
  child.unref();
  for (const p of [child.stdin, child.stdout, child.stderr]) (p as unknown as { unref?: () => void } | null)?.unref?.();
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal); // the guard, the server and the stdin watcher
    } catch {
      // already gone
    }
  };
  const killOnExit = (): void => {
    if (!exited(child)) killGroup('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!exited(child) && !spawnError) {
        // Closing the guard's stdin makes it stop the server (SIGTERM) and exit once the server has.
        child.stdin?.end();
        if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
          killGroup('SIGKILL');
          await waitExit(child, STOP_TIMEOUT_MS);
        }
      }
      child.stdin?.destroy();
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };

  // Ready means our child logged so (not some other server answering on that port) and PING answers.
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && !exited(child) && !spawnError) {
    if (output.includes('Ready to accept connections') && (await ping(port))) {
      return { url: `redis://${HOST}:${port}`, port, dir, stop };
    }
    await sleep(20);
  }
  const why = spawnError ? `could not be started (${spawnError.message})`
    : exited(child) ? `exited (${child.exitCode ?? child.signalCode})` : `did not answer PING within ${READY_TIMEOUT_MS} ms`;
  await stop();
  const tail = output.trim().split('\n').slice(-3).join(' | ');
  throw new JobscopeError('JS_UNAVAILABLE', `${BINARY} on port ${port} ${why}${tail ? `: ${tail}` : ''}`);
}

/** Child processes of the benchmark (server, agent, sink) and what /proc says about them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const SINK = fileURLToPath(new URL('./sink.js', import.meta.url));

export interface Proc { child: ChildProcess; pid: number; text: () => string; stop(): Promise<void> }

export function startProcess(args: string[], ready: RegExp): Promise<Proc & { match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`did not start: ${args.join(' ')}\n${out}`)); }, 60_000);
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const on = (d: Buffer): void => {
      out += d.toString();
      const m = ready.exec(out);
      if (m && timer) {
        clearTimeout(timer);
        resolve({
          child, pid: child.pid as number, match: m, text: () => out,
          async stop() { if (child.exitCode === null) child.kill('SIGTERM'); await exited; },
        });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${out}`)); });
  });
}

export async function startServer(dataDir: string): Promise<Proc & { url: string }> {
  const p = await startProcess([CLI, 'server', '--port', '0', '--data', dataDir], /listening on (http:\/\/[\d.:]+)/);
  return { ...p, url: p.match[1] as string };
}

export async function startAgent(args: string[]): Promise<Proc & { addresses: Record<string, string> }> {
  const p = await startProcess([CLI, 'agent', '--quiet', ...args], /jobscope agent ready: (.*)\n/);
  const addresses: Record<string, string> = {};
  for (const part of (p.match[1] as string).split(' ')) {
    const kv = /^(\w+)=(.+)$/.exec(part);
    if (kv) addresses[kv[1] as string] = kv[2] as string;
  }
  return { ...p, addresses };
}

/** An OTLP destination that answers 200 to everything and keeps nothing (the agent's own ceiling). */
export async function startSink(): Promise<Proc & { url: string }> {
  const p = await startProcess([SINK], /sink (http:\/\/[\d.:]+)/);
  return { ...p, url: p.match[1] as string };
}

/** User + system CPU seconds of a process so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** Resident set size in bytes (VmRSS), 0 when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A metric's value from the agent's /metrics (summed over label sets matching `labels`). */
export async function metric(healthAddress: string, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://${healthAddress}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (labels && !rest.includes(labels)) continue;
    sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Shared helpers of the file tail tests (not a test file itself). */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyValue, Attributes, RequestBySignal } from '@jobscope/otlp';
import type { Telemetry, TelemetryConsumer } from '../../../telemetry.js';
import { createFileTailReceiver, type FileTailReceiver } from '../receiver.js';
import type { FileTailOptions } from '../config.js';

export async function tempDir(t?: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'filetail-'));
  t?.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface Rec {
  body: AnyValue;
  attributes: Attributes;
  resource: Attributes;
  severityText: string;
  timeUnixNano: string;
  scope: string;
}

/** A consumer that keeps what it is given (the real contract: resolves = durable). */
export class Collector {
  readonly batches: Telemetry[] = [];
  /** Called before accepting a batch; throwing rejects it. */
  gate: ((t: Telemetry, call: number) => void | Promise<void>) | null = null;
  calls = 0;

  readonly consumer: TelemetryConsumer = async (t) => {
    this.calls++;
    if (this.gate) await this.gate(t, this.calls);
    this.batches.push(structuredClone(t));
  };

  records(): Rec[] {
    const out: Rec[] = [];
    for (const b of this.batches) {
      for (const rl of (b.request as RequestBySignal['logs']).resourceLogs) {
        for (const sl of rl.scopeLogs) {
          for (const r of sl.logRecords) {
            out.push({ body: r.body, attributes: r.attributes, resource: rl.resource.attributes, severityText: r.severityText, timeUnixNano: r.timeUnixNano, scope: sl.scope.name });
          }
        }
      }
    }
    return out;
  }

  bodies(): string[] {
    return this.records().map((r) => String(r.body));
  }

  /** Record count per batch. */
  batchSizes(): number[] {
    return this.batches.map((b) => (b.request as RequestBySignal['logs']).resourceLogs[0].scopeLogs[0].logRecords.length);
  }
}

/** Polls `cond` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** "prefix-from\n" ... "prefix-to\n". */
export function lines(prefix: string, from: number, to: number): string {
  let s = '';
  for (let i = from; i <= to; i++) s += `${prefix}-${i}\n`;
  return s;
}

export function names(prefix: string, from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}-${i}`);
  return out;
}

export function append(path: string, text: string): Promise<void> {
  return appendFile(path, text);
}

export interface Setup {
  dir: string;
  checkpointFile: string;
  receivers: FileTailReceiver[];
}

/** A log directory and a state directory; after the test, its receivers are closed, then both are removed. */
export async function setup(t: { after(fn: () => Promise<void>): void }): Promise<Setup> {
  const dir = await tempDir();
  const state = await tempDir();
  const s: Setup = { dir, checkpointFile: join(state, 'file_tail.json'), receivers: [] };
  t.after(async () => {
    for (const r of s.receivers) await r.close();
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    await rm(state, { recursive: true, force: true, maxRetries: 3 });
  });
  return s;
}

/** A receiver on `<dir>/*.log` with fast polling; closed after the test (before its directories are removed). */
export function tailer(s: Setup, next: TelemetryConsumer, o: Partial<FileTailOptions> = {}): FileTailReceiver {
  const r = createFileTailReceiver(next, {
    include: [join(s.dir, '*.log')],
    checkpointFile: s.checkpointFile,
    pollIntervalMs: 20,
    rescanIntervalMs: 50,
    ...o,
  });
  s.receivers.push(r);
  return r;
}

export interface CheckpointFileEntry {
  dev: string;
  ino: string;
  path: string;
  offset: number;
}

export async function readCheckpointFile(file: string): Promise<CheckpointFileEntry[]> {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { files: CheckpointFileEntry[] }).files;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Offset checkpointed for the file at `path` (by path), or undefined. */
export async function checkpointOffset(file: string, path: string): Promise<number | undefined> {
  return (await readCheckpointFile(file)).find((e) => e.path === path)?.offset;
}

/** Asserts every item appears exactly once. */
export function counts(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

/**
 * One attempt of one job inside a connector: simulated time (scaled into
 * ctx.sleep), the connector's deadline, progress reported to both the log
 * (jobProgress) and the queue (ctx.progress), and the result.
 *
 * A connector's script is straight-line code that awaits `wait` and throws
 * realistic Errors; `run` turns a throw into `{ ok: false }` after the
 * connector has logged it, and a passed deadline into its timeout error.
 */
import type { LogMeta } from '@jobscope/sdk';
import type { FaultScope } from './faults.js';
import type { ConnectorContext, ConnectorJob, ConnectorResult } from './types.js';

/** Thrown by `wait` when the attempt passes its deadline. */
export class DeadlineReached extends Error {
  constructor(readonly deadlineMs: number) {
    super(`deadline of ${deadlineMs} ms reached`);
    this.name = 'DeadlineReached';
  }
}

export interface SessionScript {
  /** The connector's deadline for one attempt, simulated ms. */
  timeoutMs: number;
  /** The error the connector raises when the deadline passes. */
  timeoutError(timeoutMs: number): Error;
  /** Logs the failure the way the real connector does (an error line with its fields). */
  logFailure(error: Error, session: Session): void;
  /** The script; resolves to the job's output. */
  play(session: Session): Promise<Record<string, unknown>>;
}

export class Session {
  /** Simulated ms spent so far in this attempt. */
  elapsed = 0;
  readonly scale: number;
  readonly scope: FaultScope;

  constructor(readonly job: ConnectorJob, readonly ctx: ConnectorContext, readonly model: string, readonly timeoutMs: number) {
    const s = ctx.durationScale;
    this.scale = typeof s === 'number' && Number.isFinite(s) && s >= 0 ? s : 1;
    this.scope = ctx.machineId !== undefined ? { machineId: ctx.machineId, model } : { model };
  }

  get log() {
    return this.ctx.logger;
  }
  get rng() {
    return this.ctx.rng;
  }

  /** Passes simulated time; throws DeadlineReached (after waiting up to it) if the deadline falls inside. */
  async wait(ms: number): Promise<void> {
    const d = Number.isFinite(ms) ? Math.max(0, ms) : Infinity;
    const left = this.timeoutMs - this.elapsed;
    if (d > left) {
      await this.#sleep(Math.max(0, left));
      this.elapsed = this.timeoutMs;
      throw new DeadlineReached(this.timeoutMs);
    }
    await this.#sleep(d);
    this.elapsed += d;
  }

  /** Waits forever, i.e. until the deadline (a hung request or websocket). */
  hang(): Promise<void> {
    return this.wait(Infinity);
  }

  async #sleep(ms: number): Promise<void> {
    const scaled = ms * this.scale;
    if (scaled > 0) await this.ctx.sleep(scaled);
  }

  /** Step i of n: jobProgress (progress from the steps) with the connector's fields, then queue progress. */
  async progress(step: number, totalSteps: number, meta: LogMeta = {}): Promise<void> {
    const progress = totalSteps > 0 ? Math.round((Math.min(step, totalSteps) / totalSteps) * 1000) / 10 : 100;
    this.log.jobProgress(this.job.id, progress, { ...meta, step, total_steps: totalSteps });
    await this.ctx.progress({ progress, step, totalSteps });
  }

  /** The elapsed simulated time, rounded to the ms. */
  get elapsedMs(): number {
    return Math.round(this.elapsed);
  }
}

/** Runs a connector script for one attempt and shapes its result. */
export async function runSession(
  job: ConnectorJob,
  ctx: ConnectorContext,
  model: string,
  script: SessionScript,
): Promise<ConnectorResult> {
  const s = new Session(job, ctx, model, script.timeoutMs);
  try {
    const output = await script.play(s);
    return { ok: true, output: { ...output, duration_ms: s.elapsedMs }, durationMs: s.elapsed };
  } catch (err) {
    const error = err instanceof DeadlineReached ? script.timeoutError(err.deadlineMs) : toError(err);
    try {
      script.logFailure(error, s);
    } catch {
      // logging never changes the outcome
    }
    return { ok: false, error, durationMs: s.elapsed };
  }
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** A table's own entry (never a prototype property such as `constructor`). */
export function entryOf<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A byte count near `n` (± spread), as an integer ≥ 0. */
export function bytesNear(n: number, spread: number, rng: { uniform(a: number, b: number): number }): number {
  return Math.max(0, Math.round(n * rng.uniform(1 - spread, 1 + spread)));
}

/** A payload value of the expected type, or the default. */
export function num(payload: Record<string, unknown>, key: string, fallback: number): number {
  const v = payload[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
export function text(payload: Record<string, unknown>, key: string, fallback: string): string {
  const v = payload[key];
  return typeof v === 'string' && v !== '' ? v : fallback;
}

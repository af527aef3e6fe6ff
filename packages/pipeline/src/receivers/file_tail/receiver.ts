/**
 * The file tail receiver: Fluent Bit's tail input, done right. One loop does
 * everything in turn (never two reads or two deliveries at once):
 *
 * - Rescan (every rescanIntervalMs, and at once after a rotated file is
 *   finished): the globs are expanded; checkpoint entries of files that are
 *   neither open nor found are settled (rotated away → the rest of the file
 *   is read under its old name first; excluded or gone → forgotten); the
 *   files found are opened, at most maxOpenFiles (idle ones are closed to
 *   make room when more wait). A file starts at its checkpointed offset, else
 *   at 0 (startAt 'end' applies to the files of the first scan only: a file
 *   created later is new data and is read whole).
 * - Round (every pollIntervalMs, back to back while there is data): each open
 *   file in turn (a busy file cannot starve the others) is checked for
 *   rotation (its name now names another inode, or none) and truncation
 *   (size below the read position → from 0), then hands at most one batch
 *   to next().
 * - Delivery: a batch's offset goes to the checkpoint only after next()
 *   resolved (the data is durable downstream). A rejected batch is offered
 *   again (delivery.ts), the whole tail pausing meanwhile.
 * - Rotation: the open handle of a renamed or deleted file is read to its end
 *   (plus one poll interval for late writes) and its unfinished last line is
 *   emitted, then the new file at that name is read from 0. The new file is
 *   opened as soon as it is seen (so that it cannot itself rotate away
 *   unseen while the old one is still being read) but read only after. A
 *   file rotated while the agent was stopped (or while it was closed to make
 *   room) is found in the same directory by its (dev, ino) and read from its
 *   checkpointed offset before the new file.
 *
 * At-least-once: the checkpoint is written after each delivered batch
 * (coalesced) and on close. After a crash, the batches delivered after the
 * last checkpoint that reached the disk (at most the one being written plus
 * those delivered meanwhile) are read and delivered again: duplicates in that
 * window, never loss.
 *
 * Limits of polling (as in every name-polling tailer): a file created and
 * rotated away between two looks at its name is never seen; copytruncate
 * followed by more writes than were read before the next poll is not seen as
 * a truncation; bytes written to a rotated file after it was finished are
 * read only if it is still in the same directory at the next rescan (else
 * lost); a rotated file is looked for only in its old directory; when the
 * globs also match rotated names, the rest of a rotated file and the new
 * file may interleave (still each line once). close() waits for a next()
 * call in flight.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JobscopeError } from '@jobscope/core';
import type { LogRecord } from '@jobscope/otlp';
import type { Telemetry, TelemetryConsumer } from '../../telemetry.js';
import { nowNanos } from '../shared/structured-log.js';
import { CheckpointWriter, encodeCheckpoint, loadCheckpoint, type CheckpointEntry } from './checkpoint.js';
import { resolveFileTailConfig, type FileTailConfig, type FileTailOptions } from './config.js';
import { classifyFailure } from './delivery.js';
import { expandGlobs } from './discovery.js';
import { findInDir, statFile, type FileInfo } from './identity.js';
import type { Line } from './line-reader.js';
import { batchTelemetry, describeFile, lineToRecord } from './records.js';
import { lastLineStart, openFile, Tail } from './tail.js';

export interface FileTailStats {
  /** Files open (being tailed) now. */
  files: number;
  /** Records delivered. */
  lines: number;
  /** File bytes delivered (offsets advanced). */
  bytes: number;
  /** Delivered lines cut at maxLineBytes. */
  truncatedLines: number;
  /** Files found renamed or rotated away (while running or while stopped). */
  rotations: number;
  /** Files found shorter than what had been read (copytruncate): read again from 0. */
  truncations: number;
  /** Times next() pushed back (JS_OVERLOADED / JS_UNAVAILABLE) and the tail paused. */
  backpressureWaits: number;
  /** Failures: unreadable files, failed deliveries, checkpoint writes, ... */
  errors: number;
}

export interface FileTailReceiver {
  /** Loads the checkpoint, opens the files and starts tailing. Rejects (JS_STORAGE) when the checkpoint cannot be read. */
  start(): Promise<void>;
  /** Stops after the delivery in flight (if any), closes the files and writes the checkpoint. */
  close(): Promise<void>;
  stats(): FileTailStats;
}

export function createFileTailReceiver(next: TelemetryConsumer, config: FileTailOptions): FileTailReceiver {
  return new FileTail(next, resolveFileTailConfig(config));
}

type State = 'new' | 'starting' | 'running' | 'closing' | 'closed';
type Outcome = 'delivered' | 'dropped' | 'aborted';

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

class FileTail implements FileTailReceiver {
  readonly #next: TelemetryConsumer;
  readonly #c: FileTailConfig;
  readonly #pattern: RegExp;
  /** Checkpoint state by identity key: open files, files waiting to be (re)opened, rotated files to settle. */
  readonly #entries = new Map<string, CheckpointEntry>();
  /** Open files by identity key; insertion order is the round-robin order. */
  readonly #tails = new Map<string, Tail>();
  readonly #writer: CheckpointWriter;
  readonly #stats = { lines: 0, bytes: 0, truncatedLines: 0, rotations: 0, truncations: 0, backpressureWaits: 0, errors: 0 };
  /** Files of the first scan without a checkpoint, to start at their end (startAt 'end'). */
  readonly #startAtEnd = new Set<string>();
  /** Paths whose idle file was closed to make room, and when (they get the next free slots first). */
  readonly #evictedAt = new Map<string, number>();
  #state: State = 'new';
  #starting: Promise<void> | null = null;
  #closing: Promise<void> | null = null;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #scanned = false;
  #nextRescan = 0;
  #rescanSoon = false;

  constructor(next: TelemetryConsumer, c: FileTailConfig) {
    this.#next = next;
    this.#c = c;
    this.#pattern = new RegExp(c.pathPattern);
    this.#writer = new CheckpointWriter(c.checkpointFile, () => encodeCheckpoint(this.#entries.values()), () => {
      this.#stats.errors++;
    });
  }

  stats(): FileTailStats {
    return { files: this.#tails.size, ...this.#stats };
  }

  start(): Promise<void> {
    if (this.#state !== 'new') return Promise.reject(new JobscopeError('JS_INTERNAL', 'file_tail: start() can be called once, before close()'));
    this.#state = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #start(): Promise<void> {
    try {
      await mkdir(dirname(this.#c.checkpointFile), { recursive: true });
      for (const [key, entry] of await loadCheckpoint(this.#c.checkpointFile)) this.#entries.set(key, entry);
    } catch (err) {
      if (!(err instanceof SyntaxError)) {
        this.#state = 'closed';
        throw new JobscopeError('JS_STORAGE', `file_tail: cannot read the checkpoint ${this.#c.checkpointFile}: ${(err as Error).message}`, { cause: err });
      }
      this.#stats.errors++; // not JSON (should not happen: it is replaced atomically): start without offsets
    }
    await this.#rescan();
    if (this.#state !== 'starting') return;
    this.#state = 'running';
    this.#loop = this.#run();
  }

  async #close(): Promise<void> {
    if (this.#starting !== null) await this.#starting.catch(() => undefined);
    if (this.#state === 'new' || this.#state === 'closed') {
      this.#state = 'closed';
      return;
    }
    this.#state = 'closing';
    this.#wake?.();
    await this.#loop;
    for (const tail of [...this.#tails.values()]) await this.#drop(tail);
    this.#writer.request();
    await this.#writer.flush();
    this.#state = 'closed';
  }

  async #run(): Promise<void> {
    while (this.#state === 'running') {
      try {
        if (this.#rescanSoon || Date.now() >= this.#nextRescan) await this.#rescan();
        const worked = await this.#round();
        if (!worked && !this.#rescanSoon) {
          await this.#sleep(Math.max(1, Math.min(this.#c.pollIntervalMs, this.#nextRescan - Date.now())));
        }
      } catch {
        this.#stats.errors++; // never leaves the loop
        await this.#sleep(this.#c.pollIntervalMs);
      }
    }
  }

  /** Sleeps `ms`, or less when close() wakes the loop. */
  #sleep(ms: number): Promise<void> {
    if (this.#state !== 'running') return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  // ---- reading -------------------------------------------------------------

  /** One turn of every open file; true when something was delivered or finished. */
  async #round(): Promise<boolean> {
    let worked = false;
    for (const tail of [...this.#tails.values()]) {
      if (this.#state !== 'running') break;
      if (this.#tails.get(tail.key) !== tail) continue;
      if (tail.after !== null && this.#tails.get(tail.after.key) !== tail.after) tail.after = null;
      try {
        if (await this.#step(tail)) worked = true;
      } catch {
        // Read failure (EIO, ...): close it; the next rescan reopens it from its checkpoint.
        this.#stats.errors++;
        await this.#drop(tail);
      }
    }
    return worked;
  }

  async #step(tail: Tail): Promise<boolean> {
    const st = await tail.fh.stat({ bigint: true });
    if (!tail.draining) await this.#checkRotation(tail, st.nlink > 0n);
    if (tail.after !== null) return false; // the file before it at its name is not finished: only watched for rotation
    const size = Number(st.size);
    if (size < tail.reader.position) {
      this.#stats.truncations++;
      tail.reader.reset(0);
      if (tail.entry.offset !== 0) {
        tail.entry.offset = 0;
        this.#writer.request();
      }
    }
    const r = await tail.reader.read(tail.fh, size, this.#c.maxBatchLines, this.#c.maxBatchBytes);
    tail.atEof = r.eof;
    if (r.bytesRead > 0) tail.lastDataAt = Date.now();
    if (r.lines.length > 0) {
      await this.#deliver(tail, r.lines);
      return true;
    }
    if (!tail.draining || !r.eof || r.bytesRead > 0) return false;
    // Rotated away or deleted, and read to its end: wait one poll interval for late writes, then finish it.
    if (Date.now() - tail.lastDataAt < this.#c.pollIntervalMs) return false;
    const rest = tail.reader.takeRest();
    if (rest !== null && !(await this.#deliver(tail, [rest]))) return false;
    await this.#drop(tail);
    // Deleted: forget it. Renamed: the next rescan follows it under its new name if the globs match it, else forgets it.
    if (st.nlink === 0n) this.#entries.delete(tail.key);
    this.#writer.request();
    this.#rescanSoon = true;
    return true;
  }

  /**
   * Marks the file as draining when its name no longer names it, and opens
   * the file now at that name at once (read after this one is finished).
   */
  async #checkRotation(tail: Tail, linked: boolean): Promise<void> {
    let now: FileInfo | null;
    try {
      now = await statFile(tail.path);
    } catch {
      return; // cannot tell (e.g. EACCES on the directory): keep reading
    }
    if (now !== null && now.key === tail.key) return;
    tail.draining = true;
    tail.lastDataAt = Date.now();
    if (linked) this.#stats.rotations++;
    if (now !== null && !this.#tails.has(now.key) && this.#tails.size < this.#c.maxOpenFiles) {
      await this.#open(tail.path, tail.path, now, false);
    }
  }

  /** Hands the lines to next() and then commits their offset; false when closing interrupted it. */
  async #deliver(tail: Tail, lines: Line[]): Promise<boolean> {
    const observed = nowNanos();
    let count = 0;
    let truncated = 0;
    // Built afresh for each attempt: a failed next() may have changed the previous one in place.
    const build = (): Telemetry | null => {
      const records: LogRecord[] = [];
      count = 0;
      truncated = 0;
      for (const line of lines) {
        const rec = lineToRecord(line, tail.source, observed);
        if (rec === null) continue;
        records.push(rec);
        count++;
        if (line.truncated) truncated++;
      }
      return records.length === 0 ? null : batchTelemetry(tail.source, records);
    };
    const first = build();
    if (first !== null) {
      const outcome = await this.#send(first, build);
      if (outcome === 'aborted') return false;
      if (outcome === 'delivered') {
        this.#stats.lines += count;
        this.#stats.truncatedLines += truncated;
      }
    }
    const end = lines[lines.length - 1].end;
    this.#stats.bytes += Math.max(0, end - tail.entry.offset);
    tail.entry.offset = end;
    this.#writer.request();
    return true;
  }

  /** Sends `first`, then rebuilt copies of it until one is accepted; 'aborted' when closing. */
  async #send(first: Telemetry, rebuild: () => Telemetry | null): Promise<Outcome> {
    for (let t: Telemetry | null = first; t !== null; t = rebuild()) {
      try {
        await this.#next(t);
        return 'delivered';
      } catch (err) {
        const failure = classifyFailure(err);
        if (failure.kind === 'drop') {
          this.#stats.errors++;
          return 'dropped';
        }
        if (failure.kind === 'backpressure') this.#stats.backpressureWaits++;
        else this.#stats.errors++;
        if (this.#state !== 'running') return 'aborted';
        await this.#sleep(failure.waitMs);
        if (this.#state !== 'running') return 'aborted';
      }
    }
    return 'delivered';
  }

  // ---- finding files -------------------------------------------------------

  async #rescan(): Promise<void> {
    this.#rescanSoon = false;
    this.#nextRescan = Date.now() + this.#c.rescanIntervalMs;
    let paths: string[];
    try {
      paths = await expandGlobs(this.#c.include, this.#c.exclude);
    } catch {
      this.#stats.errors++;
      return;
    }
    const first = !this.#scanned;
    this.#scanned = true;
    const ckpt = this.#c.checkpointFile;
    const found = new Map<string, { path: string; info: FileInfo }>();
    for (const path of paths) {
      if (path === ckpt || path === ckpt + '.tmp') continue;
      try {
        const info = await statFile(path);
        if (info !== null && !found.has(info.key)) found.set(info.key, { path, info });
      } catch {
        this.#stats.errors++;
      }
    }
    for (const key of this.#startAtEnd) if (!found.has(key)) this.#startAtEnd.delete(key);
    const foundPaths = new Set([...found.values()].map((f) => f.path));
    for (const path of this.#evictedAt.keys()) if (!foundPaths.has(path)) this.#evictedAt.delete(path);
    // Rotated files first, so that the new file at their name waits for them (below).
    for (const [key, entry] of [...this.#entries]) {
      if (!this.#tails.has(key) && !found.has(key)) await this.#settle(key, entry, first);
    }
    const waiting = [...found.values()].filter((f) => !this.#tails.has(f.info.key));
    if (first && this.#c.startAt === 'end') {
      // Not a new file at the name of a checkpointed file (rotated while stopped): that one is read whole.
      const known = new Set<string>();
      for (const entry of this.#entries.values()) known.add(entry.path);
      for (const f of waiting) if (!this.#entries.has(f.info.key) && !known.has(f.path)) this.#startAtEnd.add(f.info.key);
    }
    waiting.sort((a, b) => (this.#evictedAt.get(a.path) ?? 0) - (this.#evictedAt.get(b.path) ?? 0));
    await this.#makeRoom(waiting.length);
    for (const f of waiting) {
      if (this.#tails.size >= this.#c.maxOpenFiles) break;
      await this.#open(f.path, f.path, f.info, false);
    }
  }

  /**
   * A checkpoint entry whose file is not open and was not found by the globs:
   * still under its name → excluded now, forget it; under another name in the
   * same directory with unread bytes → rotated, read the rest under the old
   * name; nowhere (or fully read) → forget it.
   */
  async #settle(key: string, entry: CheckpointEntry, first: boolean): Promise<void> {
    try {
      const now = await statFile(entry.path);
      if (now !== null && now.key === key) {
        this.#forget(key);
        return;
      }
      const moved = await findInDir(dirname(entry.path), entry);
      if (moved === null || moved.info.size <= entry.offset) {
        this.#forget(key);
        return;
      }
      if (this.#tails.size >= this.#c.maxOpenFiles) return; // kept: the next rescan tries again
      if ((await this.#open(moved.path, entry.path, moved.info, true)) && first) this.#stats.rotations++;
    } catch {
      this.#stats.errors++; // kept: the next rescan tries again
    }
  }

  #forget(key: string): void {
    this.#entries.delete(key);
    this.#writer.request();
  }

  /**
   * Opens `openPath` (expected to be `expect`) and tails it as `readPath`:
   * from its checkpoint, else from 0 (or its last line start for startAt 'end').
   * Unreadable files are counted and left for the next rescan.
   */
  async #open(openPath: string, readPath: string, expect: FileInfo, draining: boolean): Promise<boolean> {
    let opened: Awaited<ReturnType<typeof openFile>>;
    try {
      opened = await openFile(openPath);
    } catch (err) {
      if (!isMissing(err)) this.#stats.errors++;
      return false;
    }
    const { fh, info } = opened;
    try {
      if (info.key !== expect.key || this.#tails.has(info.key)) {
        await fh.close(); // replaced between the scan and the open: the next rescan sees it
        return false;
      }
      let entry = this.#entries.get(info.key);
      let offset = entry?.offset ?? (this.#startAtEnd.has(info.key) ? await lastLineStart(fh, info.size) : 0);
      this.#startAtEnd.delete(info.key);
      if (offset > info.size) {
        this.#stats.truncations++;
        offset = 0;
      }
      if (entry === undefined) {
        entry = { dev: info.dev, ino: info.ino, path: readPath, offset };
        this.#entries.set(info.key, entry);
      }
      entry.path = readPath;
      entry.offset = offset;
      const tail = new Tail(fh, info, entry, readPath, describeFile(readPath, this.#pattern), this.#c.maxLineBytes, draining);
      tail.after = this.#lastAt(readPath);
      this.#tails.set(info.key, tail);
      this.#evictedAt.delete(readPath);
      this.#writer.request();
      return true;
    } catch {
      this.#stats.errors++;
      await fh.close().catch(() => undefined);
      return false;
    }
  }

  /** The last opened file read under `path` (the one a new file at that name must wait for), or null. */
  #lastAt(path: string): Tail | null {
    let last: Tail | null = null;
    for (const tail of this.#tails.values()) if (tail.path === path) last = tail;
    return last;
  }

  /** Closes idle files (at their end, quiet for a poll interval) so that `needed` waiting files can be opened. */
  async #makeRoom(needed: number): Promise<void> {
    const excess = this.#tails.size + needed - this.#c.maxOpenFiles;
    if (needed === 0 || excess <= 0) return;
    const now = Date.now();
    const awaited = new Set<Tail>();
    for (const t of this.#tails.values()) if (t.after !== null) awaited.add(t.after);
    const idle = [...this.#tails.values()]
      .filter((t) => !t.draining && t.after === null && !awaited.has(t) && t.atEof && now - t.lastDataAt >= this.#c.pollIntervalMs)
      .sort((a, b) => a.lastDataAt - b.lastDataAt)
      .slice(0, excess);
    for (const tail of idle) {
      this.#evictedAt.set(tail.path, now);
      await this.#drop(tail); // its entry stays: reopened from its offset
    }
  }

  /** Stops tailing a file (its checkpoint entry is kept). */
  async #drop(tail: Tail): Promise<void> {
    if (this.#tails.get(tail.key) === tail) this.#tails.delete(tail.key);
    await tail.close();
  }
}

/**
 * Persisted offsets: one JSON file holding, per file identity, the path it
 * was read under and the offset just after the last delivered line. It is
 * replaced atomically (write `<file>.tmp`, fdatasync, rename over `<file>`,
 * fsync the directory), so a crash leaves either the old or the new state,
 * never a torn one. Writes are coalesced: at most one in flight, and the one
 * that follows always snapshots the latest state.
 *
 * dev and ino are stored as decimal strings (exact for 64-bit values).
 */
import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { idKey } from './identity.js';

export interface CheckpointEntry {
  dev: bigint;
  ino: bigint;
  path: string;
  offset: number;
}

const VERSION = 1;

export function encodeCheckpoint(entries: Iterable<CheckpointEntry>): string {
  const files = [...entries].map((e) => ({ dev: e.dev.toString(), ino: e.ino.toString(), path: e.path, offset: e.offset }));
  return JSON.stringify({ v: VERSION, files });
}

function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return null;
}

/** Entries of a checkpoint text by identity key; malformed entries are skipped. Throws on malformed JSON. */
export function decodeCheckpoint(text: string): Map<string, CheckpointEntry> {
  const out = new Map<string, CheckpointEntry>();
  const j = JSON.parse(text) as { files?: unknown };
  if (!Array.isArray(j.files)) return out;
  for (const f of j.files as Array<Record<string, unknown> | null>) {
    if (typeof f !== 'object' || f === null) continue;
    const dev = toBigInt(f.dev);
    const ino = toBigInt(f.ino);
    const { path, offset } = f;
    if (dev === null || ino === null || typeof path !== 'string' || path === '') continue;
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) continue;
    out.set(idKey({ dev, ino }), { dev, ino, path, offset });
  }
  return out;
}

/** The checkpoint at `file`; empty when there is none yet. Throws when it cannot be read or parsed. */
export async function loadCheckpoint(file: string): Promise<Map<string, CheckpointEntry>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw err;
  }
  return decodeCheckpoint(text);
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = file + '.tmp';
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await syncDir(dirname(file));
}

/** Coalescing writer: request() after every change, flush() to wait until the latest state is on disk. */
export class CheckpointWriter {
  readonly #file: string;
  readonly #snapshot: () => string;
  readonly #onError: (err: unknown) => void;
  #inFlight: Promise<void> | null = null;
  #dirty = false;
  #lastWritten = '';

  constructor(file: string, snapshot: () => string, onError: (err: unknown) => void) {
    this.#file = file;
    this.#snapshot = snapshot;
    this.#onError = onError;
  }

  request(): void {
    this.#dirty = true;
    if (this.#inFlight === null) this.#inFlight = this.#run();
  }

  /** Resolves once no write is in flight or pending. */
  async flush(): Promise<void> {
    while (this.#inFlight !== null) await this.#inFlight;
  }

  async #run(): Promise<void> {
    // Let the caller finish its synchronous changes first: they go into this write.
    await Promise.resolve();
    while (this.#dirty) {
      this.#dirty = false;
      try {
        const text = this.#snapshot();
        if (text !== this.#lastWritten) {
          await writeFileAtomic(this.#file, text);
          this.#lastWritten = text;
        }
      } catch (err) {
        this.#onError(err); // the next request() tries again
      }
    }
    this.#inFlight = null;
  }
}

/**
 * One open file being tailed. Its handle stays open across a rename or an
 * unlink, so a rotated or deleted file is still read to its real end; its
 * identity is that of the open handle (fstat), never re-derived from a name.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { CheckpointEntry } from './checkpoint.js';
import { idKey, type FileInfo } from './identity.js';
import { CHUNK_BYTES, LineReader } from './line-reader.js';
import type { FileSource } from './records.js';

export class Tail {
  readonly key: string;
  readonly fh: FileHandle;
  readonly reader: LineReader;
  /** The checkpoint entry that delivered offsets go to (shared with the checkpoint map). */
  readonly entry: CheckpointEntry;
  /** The path the file is read under: its resource attributes, and where rotation is looked for. */
  readonly path: string;
  readonly source: FileSource;
  /** Rotated away, deleted, or found rotated at start: read to the end, then close. */
  draining: boolean;
  /** The last read consumed everything up to the file's size. */
  atEof = false;
  /** When a read last returned bytes (or the file was opened). */
  lastDataAt = Date.now();
  /**
   * The file that was at the same name before this one, still being read:
   * this one is opened at once (so that it cannot rotate away unseen) but
   * read only once that one is finished.
   */
  after: Tail | null = null;

  constructor(fh: FileHandle, info: FileInfo, entry: CheckpointEntry, path: string, source: FileSource, maxLineBytes: number, draining: boolean) {
    this.key = info.key;
    this.fh = fh;
    this.entry = entry;
    this.path = path;
    this.source = source;
    this.draining = draining;
    this.reader = new LineReader(entry.offset, maxLineBytes);
  }

  /** Closes the handle; never throws. */
  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/**
 * Opens `path` for reading (non-blocking, so a FIFO put in place of a log
 * cannot hang the loop) and returns the identity of what was opened.
 */
export async function openFile(path: string): Promise<{ fh: FileHandle; info: FileInfo }> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = await fh.stat({ bigint: true });
    if (!s.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTFILE' });
    return { fh, info: { dev: s.dev, ino: s.ino, key: idKey(s), size: Number(s.size) } };
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw err;
  }
}

/** Offset just after the last '\n' before `size` (startAt 'end' skips whole lines, not half of one). */
export async function lastLineStart(fh: FileHandle, size: number): Promise<number> {
  if (size === 0) return 0;
  const n = Math.min(CHUNK_BYTES, size);
  const buf = Buffer.allocUnsafe(n);
  const { bytesRead } = await fh.read(buf, 0, n, size - n);
  const i = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
  return i < 0 ? size : size - n + i + 1;
}

/**
 * A file is identified by (device, inode), not by its name: names move when
 * logs rotate, the inode stays with the data. The numbers are bigints (inode
 * numbers can exceed 2^53 on some filesystems, e.g. overlayfs with xino).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface FileId {
  dev: bigint;
  ino: bigint;
}

export interface FileInfo extends FileId {
  /** `${dev}:${ino}`: the key of the file in every map. */
  key: string;
  size: number;
}

export function idKey(id: FileId): string {
  return `${id.dev}:${id.ino}`;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The regular file at `path` (symlinks followed), or null when there is none. Other failures throw. */
export async function statFile(path: string): Promise<FileInfo | null> {
  try {
    const s = await stat(path, { bigint: true });
    if (!s.isFile()) return null;
    return { dev: s.dev, ino: s.ino, key: idKey(s), size: Number(s.size) };
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/** The file of `dir` that has the identity `id` (a rotated file under its new name, any name), or null. */
export async function findInDir(dir: string, id: FileId): Promise<{ path: string; info: FileInfo } | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  for (const name of names) {
    const path = join(dir, name);
    const info = await statFile(path).catch(() => null);
    if (info !== null && info.dev === id.dev && info.ino === id.ino) return { path, info };
  }
  return null;
}

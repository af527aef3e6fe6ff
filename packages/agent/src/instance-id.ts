/**
 * A random id per disk buffer, persisted next to it: part of every batch id
 * the exporters send, so that ids stay stable across restarts (the server
 * dedups on them) and never collide between machines.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export async function instanceId(bufferDir: string): Promise<string> {
  const path = join(bufferDir, 'agent-id');
  try {
    const id = (await readFile(path, 'utf8')).trim();
    if (/^[a-z0-9]{8,64}$/.test(id)) return id;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const id = `a${randomBytes(8).toString('hex')}`;
  await writeFile(`${path}.tmp`, `${id}\n`, { flush: true });
  await rename(`${path}.tmp`, path);
  return id;
}

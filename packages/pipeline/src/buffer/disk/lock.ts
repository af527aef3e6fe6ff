/**
 * One owner per directory: `<dir>/LOCK` holds the owner's pid. A LOCK left by
 * a process that no longer exists (SIGKILL, power loss) is taken over, so a
 * crash never needs manual cleanup. Node has no flock(); a pid check is the
 * portable stand-in (pid reuse can only make a stale lock look live, which
 * fails safe: open refuses instead of sharing the files).
 */
import { open, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobscopeError } from '@jobscope/core';
import { LOCK_FILE } from './format.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(dir: string): Promise<void> {
  const path = join(dir, LOCK_FILE);
  try {
    const fh = await open(path, 'wx');
    try { await fh.writeFile(String(process.pid)); } finally { await fh.close(); }
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  // The same pid is allowed: a process reopening after abandoning a handle (tests simulate crashes so).
  if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
    throw new JobscopeError('JS_CONFIG', `disk log: ${dir} is in use by pid ${pid}`);
  }
  await writeFile(path, String(process.pid));
}

export async function releaseLock(dir: string): Promise<void> {
  const path = join(dir, LOCK_FILE);
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (pid === process.pid) await unlink(path).catch(() => {});
}

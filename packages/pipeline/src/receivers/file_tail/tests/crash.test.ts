import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { counts, names, setup, sleep, waitFor } from './helpers.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));

async function startChild(dir: string, checkpointFile: string, out: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, dir, checkpointFile, out], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    child.stdout?.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

function delivered(out: string): string[] {
  return existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter((l) => l !== '') : [];
}

test('SIGKILL while tailing and rotating: every line delivered at least once (duplicates only from the last checkpoint)', async (t) => {
  const s = await setup(t);
  const out = join(s.dir, 'delivered.txt');
  const path = join(s.dir, 'app.log');
  await writeFile(path, '');
  let child = await startChild(s.dir, s.checkpointFile, out);
  t.after(() => kill(child));
  const total = 3000;
  for (let i = 1; i <= total; i++) {
    await appendFile(path, `w-${i}\n`);
    if (i % 500 === 0) {
      await rename(path, `${path}.${i / 500}`);
      await writeFile(path, '');
    }
    if (i % 700 === 0) {
      await kill(child); // crash mid-stream, sometimes mid-rotation
      if (i % 1400 === 0) await sleep(5);
      child = await startChild(s.dir, s.checkpointFile, out);
    }
  }
  const expected = names('w', 1, total);
  await waitFor(() => new Set(delivered(out)).size >= total, 'every line', 20_000);
  await kill(child);
  const got = delivered(out);
  const seen = counts(got);
  for (const e of expected) assert.ok((seen.get(e) ?? 0) >= 1, `${e} lost`);
  assert.equal(seen.size, total, 'nothing else delivered');
  // Each crash can repeat at most what was delivered after the last checkpoint write.
  if (process.env.FT_DEBUG) console.error(`duplicates: ${got.length - total}`);
  // (bound loose enough for a loaded machine, where checkpoint writes lag behind deliveries)
  assert.ok(got.length - total <= total / 4, `${got.length - total} duplicates`);
});

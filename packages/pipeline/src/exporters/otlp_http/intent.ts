/**
 * The send intent: the seq range of the batch being delivered, persisted
 * before its first attempt (`exporter-<name>.intent` in the DiskLog's
 * directory, replaced atomically: temp + fsync + rename + dir fsync). After
 * a crash or a close between sending and the cursor's ack, the next start
 * re-forms exactly that range, so the resend carries the same batch id and
 * a destination that dedups by id stores the batch once. An intent whose
 * range the cursor has already acked is stale and ignored; one that cannot
 * be read counts as none (the data is resent anyway, maybe under a new id).
 * The DiskLog deletes leftover `*.tmp` files when it opens.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface SendIntent {
  firstSeq: number;
  lastSeq: number;
}

export function intentPath(dir: string, name: string): string {
  return join(dir, `exporter-${name}.intent`);
}

const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export async function readIntent(dir: string, name: string): Promise<SendIntent | null> {
  let text: string;
  try {
    text = await readFile(intentPath(dir, name), 'utf8');
  } catch {
    return null;
  }
  try {
    const j = JSON.parse(text) as { firstSeq?: unknown; lastSeq?: unknown };
    return isSeq(j.firstSeq) && isSeq(j.lastSeq) && j.firstSeq <= j.lastSeq ? { firstSeq: j.firstSeq, lastSeq: j.lastSeq } : null;
  } catch {
    return null;
  }
}

export async function writeIntent(dir: string, name: string, intent: SendIntent & { id: string }): Promise<void> {
  const path = intentPath(dir, name);
  const tmp = path + '.tmp';
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify({ v: 1, firstSeq: intent.firstSeq, lastSeq: intent.lastSeq, id: intent.id }));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

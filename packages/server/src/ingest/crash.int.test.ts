/**
 * SIGKILL the server in the middle of a stream of acknowledged batches,
 * restart it on the same data directory, retry what was not acknowledged
 * (and, as a real client would after a lost answer, some that were): every
 * acknowledged record is stored, none twice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { logRecord, logsRequest, postLogs, startTestServer } from '../testkit/server.js';
import { tempDir } from '../testkit/temp-dir.js';

const CLI = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const RECORDS_PER_BATCH = 50;

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'server', '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => child.once('exit', r));
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1]!, exited }); }
    });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${out}`)); });
  });
}

const batch = (i: number) => logsRequest(Array.from({ length: RECORDS_PER_BATCH }, (_, j) =>
  logRecord({ attrs: { job_id: `job-crash-${i}`, rec: `${i}-${j}` } })));

test('SIGKILL mid-stream: every acknowledged record is stored exactly once after restart', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempDir('jobscope-crash-');
  try {
    const first = await startServer(dir);
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    // Four concurrent senders; the server is killed once ~150 batches are acknowledged.
    const sender = async (url: string): Promise<void> => {
      while (!killed && next < 2000) {
        const i = next++;
        try {
          const r = await postLogs(url, batch(i), { batchId: `crash-${i}` });
          if (r.status === 200) acked.add(i);
        } catch { /* connection died with the server */ }
        if (acked.size >= 150 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all([1, 2, 3, 4].map(() => sender(first.url)));
    await first.exited;
    const sent = next;
    assert.ok(acked.size >= 150);

    // Restart in this process on the same directory: the WAL is replayed at open.
    const second = await startTestServer({}, dir);
    try {
      const stored = async (ids: number[]): Promise<{ total: number; distinct: number; jobs: number }> => {
        const rows = await second.server.store.query<{ total: number; distinct: number; jobs: number }>(
          "SELECT count() AS total, uniqExact(LogAttributes['rec']) AS distinct, uniqExact(JobId) AS jobs FROM otel_logs WHERE JobId IN {ids:Array(String)}",
          { ids: ids.map((i) => `job-crash-${i}`) },
        );
        return rows[0]!;
      };
      const ackedIds = [...acked];
      const before = await stored(ackedIds);
      assert.equal(before.jobs, ackedIds.length, 'every acknowledged batch is stored');
      assert.equal(before.total, ackedIds.length * RECORDS_PER_BATCH, 'no acknowledged record twice');
      assert.equal(before.distinct, before.total);
      // A client retries everything it sent: unacknowledged batches land now, acknowledged ones not again.
      for (let i = 0; i < sent; i++) {
        const r = await postLogs(second.url, batch(i), { batchId: `crash-${i}` });
        assert.equal(r.status, 200);
      }
      await second.server.writer.flush();
      const all = await stored(Array.from({ length: sent }, (_, i) => i));
      assert.equal(all.total, sent * RECORDS_PER_BATCH, 'no record twice');
      assert.equal(all.distinct, sent * RECORDS_PER_BATCH, 'every record once');
    } finally {
      await second.close();
    }
  } finally {
    cleanup();
  }
});

/** The spool's bound: the documented drop policy, counted; bounded memory; what was spooled is delivered later. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExporter } from './index.js';
import { freePort, line, startServer, tempDir, until } from './testkit/server.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const KiB = 1024;

test('disk spool full: new batches are dropped and counted, no crash, memory bounded; the spool replays later', async () => {
  const port = await freePort();
  const spool = tempDir('sdk-spool-');
  const run = `full-${Date.now()}`;
  const bounds = { maxSpoolBytes: 64 * KiB, maxBatchBytes: 16 * KiB, maxQueueBytes: 32 * KiB, ringBytes: 256 * KiB, overflowBytes: 64 * KiB };
  const sink = createExporter({
    endpoint: `http://127.0.0.1:${port}/v1/logs`, spoolDir: spool.dir, ...bounds, maxBatchDelayMs: 20, gzipLevel: 0,
    timeoutMs: 200, retry: { initialDelayMs: 10, maxDelayMs: 50, maxElapsedMs: 100 }, breaker: { failures: 1, halfOpenAfterMs: 60_000 },
  });
  // The worker is up (its start-up takes a few hundred ms; a burst before that would overflow the small ring).
  assert.ok(await until(() => sink.stats().spoolDir !== null, 5000));
  const N = 45_000;
  let maxQueue = 0;
  let maxRss = 0;
  let rss0 = 0;
  // ~7 MB of lines at 40,000 lines/s against a 64 KiB spool and a dead endpoint.
  for (let i = 0; i < N; i++) {
    sink.write(line(run, i, ' padding to make the line longer than usual'));
    if (i % 400 === 399) {
      await sleep(10);
      if (i < 5000) continue; // warm-up: worker start-up is not growth
      rss0 ||= process.memoryUsage().rss;
      maxQueue = Math.max(maxQueue, sink.stats().queueBytes);
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
  }
  await sink.close(2000);
  const s = sink.stats();
  assert.equal(s.accepted, N);
  assert.ok(s.droppedSpoolFull > 0, 'the spool filled up');
  assert.equal(s.dropped, s.droppedSpoolFull + s.droppedQueueFull, JSON.stringify(s));
  assert.equal(s.spooled + s.dropped, N, 'every line is spooled or counted as dropped');
  assert.ok(s.spoolBytes <= bounds.maxSpoolBytes, `spool ${s.spoolBytes} B`);
  process.stdout.write(`# spool full: ${s.spooled} spooled, ${s.droppedSpoolFull} dropped at the bound, ${s.droppedQueueFull} queue-full; ` +
    `queue max ${maxQueue} B; RSS +${((maxRss - rss0) / 1048576).toFixed(1)} MiB\n`);
  const memBound = bounds.ringBytes + bounds.overflowBytes + 2 * bounds.maxQueueBytes + bounds.maxBatchBytes;
  assert.ok(maxQueue <= memBound, `queue ${maxQueue} B <= ${memBound} B`);
  assert.ok(maxRss - rss0 < 32 * 1024 * 1024, `RSS grew ${((maxRss - rss0) / 1048576).toFixed(1)} MiB while ~6 MB more were written`);

  const srv = await startServer(port);
  try {
    const again = createExporter({ endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, ...bounds, maxBatchDelayMs: 20 });
    assert.ok(await until(() => again.stats().spoolDir !== null && again.stats().spoolPending === 0 && again.stats().replayed > 0, 20_000));
    await again.close(2000);
    const rows = await srv.rows(run);
    assert.equal(rows.total, s.spooled, 'what was spooled arrives, once');
    assert.equal(rows.distinct, s.spooled);
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

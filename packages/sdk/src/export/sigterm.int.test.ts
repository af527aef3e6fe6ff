/** A worker process killed with SIGTERM mid-stream, then a new process on the same spool. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FaultProxy } from './testkit/proxy.js';
import { startServer, tempDir } from './testkit/server.js';
import { spawnChild } from './testkit/spawn.js';

test('SIGTERM mid-stream: flushed or spooled; a new process replays the spool; stored = written, no duplicates', async () => {
  const srv = await startServer();
  const proxy = new FaultProxy(srv.url);
  let hangFrom = -1;
  // Once hanging: attempts alternate between reaching the server without an answer and never reaching it.
  proxy.policy = (n) => {
    if (hangFrom < 0) return { kind: 'pass' };
    return (n - hangFrom) % 2 === 0 ? { kind: 'forward-then-hang' } : { kind: 'hang' };
  };
  const url = await proxy.listen();
  const spool = tempDir('sdk-spool-');
  const run = `term-${Date.now()}`;
  try {
    const first = spawnChild({
      options: {
        endpoint: `${url}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 50, maxBatchRecords: 100, timeoutMs: 300,
        retry: { initialDelayMs: 10, maxDelayMs: 50, maxElapsedMs: 60_000 },
      },
      run, lines: -1, rate: 5000, hooks: true, closeTimeoutMs: 1000,
    });
    assert.ok(await first.waitFor((m) => m.t === 'progress' && (m.written as number) >= 2000), first.stderr());
    hangFrom = proxy.attempts.length;
    const mark = first.messages.length;
    assert.ok(await first.waitFor((m) => m.t === 'progress' && (m.written as number) >= 3500 && first.messages.indexOf(m) > mark));
    assert.ok(await first.waitFor(() => proxy.attempts.length >= hangFrom + 2, 5000), 'both kinds of hang happened');
    first.proc.kill('SIGTERM');
    const term = await first.waitFor((m) => m.t === 'term');
    assert.ok(term, `no shutdown report: ${first.stderr()}`);
    const exit = await first.exited;
    assert.equal(exit.signal, 'SIGTERM', 'the signal is re-raised after close, as Node would have ended');
    const written = term.written as number;
    assert.ok(proxy.attempts.some((a) => a.fault === 'forward-then-hang'), 'some batch was stored without an answer');
    await proxy.close();

    const second = spawnChild({
      options: { endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 50 },
      run, lines: 0, rate: 1, waitSentMs: 20_000,
    });
    const done = await second.waitFor((m) => m.t === 'done', 40_000);
    assert.ok(done, second.stderr());
    const stats = done.stats as Record<string, number>;
    assert.ok(stats.replayed > 0, 'the new process replayed the spool');
    assert.equal(stats.spoolPending, 0);
    assert.deepEqual(await srv.rows(run), { total: written, distinct: written });
  } finally {
    await proxy.close().catch(() => {});
    await srv.close();
    spool.cleanup();
  }
});

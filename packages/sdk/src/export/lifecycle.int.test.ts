/** Process lifecycle: the exporter never keeps a process alive, and never loses what it holds when the process ends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort, startServer, tempDir } from './testkit/server.js';
import { spawnChild } from './testkit/spawn.js';

test('a process that ends without close exits by itself; its exit hook spools; the next process replays', async () => {
  const port = await freePort();
  const spool = tempDir('sdk-spool-');
  const run = `exit-${Date.now()}`;
  try {
    const first = spawnChild({
      options: { endpoint: `http://127.0.0.1:${port}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 1000, timeoutMs: 200, exitTimeoutMs: 5000 },
      run, lines: 2000, rate: 20_000, noClose: true,
    });
    const started = Date.now();
    const exit = await first.exited;
    assert.equal(exit.code, 0, first.stderr());
    assert.ok(Date.now() - started < 10_000, 'the exporter did not keep the process alive');
    assert.ok(first.messages.some((m) => m.t === 'returned'));
    const srv = await startServer(port);
    try {
      const second = spawnChild({ options: { endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir }, run, lines: 0, rate: 1, waitSentMs: 20_000 });
      const done = await second.waitFor((m) => m.t === 'done', 30_000);
      assert.ok(done, second.stderr());
      assert.deepEqual(await srv.rows(run), { total: 2000, distinct: 2000 });
    } finally {
      await srv.close();
    }
  } finally {
    spool.cleanup();
  }
});

test('shutdown hooks: beforeExit sends before the process ends; an application\'s own SIGTERM handler keeps control', async () => {
  const srv = await startServer();
  const spool = tempDir('sdk-spool-');
  try {
    const runA = `before-exit-${Date.now()}`;
    const a = spawnChild({ options: { endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 5000 }, run: runA, lines: 1000, rate: 20_000, hooks: true, noClose: true });
    assert.equal((await a.exited).code, 0, a.stderr());
    assert.deepEqual(await srv.rows(runA), { total: 1000, distinct: 1000 }, 'beforeExit flushed a batch that was still open');

    const runB = `app-sigterm-${Date.now()}`;
    const b = spawnChild({ options: { endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 5000 }, run: runB, lines: -1, rate: 5000, hooks: true, appSigterm: true });
    assert.ok(await b.waitFor((m) => m.t === 'progress' && (m.written as number) >= 1000));
    b.proc.kill('SIGTERM');
    const term = await b.waitFor((m) => m.t === 'term');
    assert.ok(term);
    const exit = await b.exited;
    assert.equal(exit.code, 7, 'the application decided how to exit');
    const written = term.written as number;
    assert.deepEqual(await srv.rows(runB), { total: written, distinct: written });
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

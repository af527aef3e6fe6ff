/** End to end against a real server (embedded chdb): outages, failures, hangs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createExporter } from './index.js';
import { FaultProxy, type Attempt } from './testkit/proxy.js';
import { freePort, line, startServer, tempDir, until } from './testkit/server.js';
import { spawnChild } from './testkit/spawn.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('server absent at start and present later: every line arrives exactly once', async () => {
  const port = await freePort();
  const spool = tempDir('sdk-spool-');
  const run = `absent-${Date.now()}`;
  const sink = createExporter({
    endpoint: `http://127.0.0.1:${port}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 50, maxBatchRecords: 200,
    timeoutMs: 1000, retry: { initialDelayMs: 20, maxDelayMs: 200, maxElapsedMs: 300 }, breaker: { failures: 1, halfOpenAfterMs: 200 },
  });
  const N = 3000;
  for (let i = 0; i < N; i++) {
    sink.write(line(run, i));
    if (i % 300 === 299) await sleep(50);
  }
  assert.ok(await until(() => sink.stats().spooled > 0, 5000), 'batches go to the spool while the server is absent');
  const srv = await startServer(port);
  try {
    assert.ok(await until(() => sink.stats().sent >= N, 20_000), JSON.stringify(sink.stats()));
    await sink.close(2000);
    assert.deepEqual(await srv.rows(run), { total: N, distinct: N });
    const s = sink.stats();
    assert.equal(s.dropped, 0);
    assert.ok(s.replayed > 0, 'spooled batches were replayed');
    assert.equal(s.breaker, 'closed');
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

/** For each 429, the next attempt of the same batch came at least Retry-After later. */
function retryAfterGaps(attempts: Attempt[]): number[] {
  const gaps: number[] = [];
  attempts.forEach((a, i) => {
    if (a.status !== 429) return;
    const next = attempts.slice(i + 1).find((b) => b.batchId === a.batchId);
    if (next) gaps.push(next.at - a.at);
  });
  return gaps;
}

test('server answering 500/429 intermittently or hanging: exactly once, Retry-After honoured, caller never blocked', async () => {
  const srv = await startServer();
  const proxy = new FaultProxy(srv.url);
  proxy.policy = (n) => {
    switch (n % 8) {
      case 1: return { kind: 'status', status: 500 };
      case 3: return { kind: 'status', status: 429, retryAfter: '1' };
      case 4: return { kind: 'status', status: 503 };
      case 5: return { kind: 'forward-then-hang' }; // stored, but the client never hears back
      case 7: return { kind: 'hang' };
      default: return { kind: 'pass' };
    }
  };
  const url = await proxy.listen();
  const spool = tempDir('sdk-spool-');
  const run = `flaky-${Date.now()}`;
  const N = 5000;
  try {
    const child = spawnChild({
      options: {
        endpoint: `${url}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 50, maxBatchRecords: 250, timeoutMs: 400,
        retry: { initialDelayMs: 20, maxDelayMs: 300, maxElapsedMs: 5000 }, breaker: { failures: 3, halfOpenAfterMs: 300 },
      },
      run, lines: N, rate: 5000, waitSentMs: 40_000, closeTimeoutMs: 3000,
    });
    const done = await child.waitFor((m) => m.t === 'done', 60_000);
    assert.ok(done, `child failed: ${child.stderr()}`);
    assert.deepEqual(await srv.rows(run), { total: N, distinct: N });
    const stats = done.stats as Record<string, number>;
    assert.equal(stats.dropped, 0);
    assert.ok(stats.retried > 0);
    const kinds = new Set(proxy.attempts.map((a) => a.fault));
    for (const k of ['status', 'forward-then-hang', 'hang']) assert.ok(kinds.has(k as Attempt['fault']), `fault ${k} injected`);
    const gaps = retryAfterGaps(proxy.attempts);
    assert.ok(gaps.length > 0, 'some 429 was retried');
    assert.ok(Math.min(...gaps) >= 950, `Retry-After: 1 honoured (gaps ${gaps.join(',')} ms)`);
    const w = done.writeNs as { p50: number; p99: number };
    const loop = done.loopDelayMs as { p99: number; max: number };
    process.stdout.write(`# caller: write p50 ${w.p50} ns, p99 ${w.p99} ns; event-loop delay p99 ${loop.p99.toFixed(2)} ms, max ${loop.max.toFixed(2)} ms\n`);
    assert.ok(w.p50 < 5_000, `write() median ${w.p50} ns`);
    assert.ok(loop.p99 < 20, `event-loop delay p99 ${loop.p99} ms`);
  } finally {
    await proxy.close();
    await srv.close();
    spool.cleanup();
  }
});

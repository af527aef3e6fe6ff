/** pino → pino.transport (its worker thread) → this transport's exporter (inline there) → a real Jobscope server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import pino from 'pino';
import { freePort, startServer, tempDir, until } from '../export/testkit/server.js';
import { pinoTarget } from './index.js';
import type { JobscopePinoOptions } from './pino.js';
import { runRows } from './testkit.js';

const IDENTITY = { machine_id: 'm-3', worker_id: 'm-3-openai-0', service_type: 'openai', connector_id: 'openai-chat' };

interface PinoHandle {
  log: pino.Logger;
  /** logger.flush(): the worker's exporter sends what it holds. */
  flush(): Promise<void>;
  end(): Promise<void>;
}

/**
 * thread-stream's end() blocks the main thread (Atomics.wait) until the
 * worker has closed, and the test server answers on this very thread: so
 * the tests flush first (asynchronous), then end. An application's server
 * is another process; there end() sends or spools within closeTimeoutMs.
 */
function pinoLogger(target: string, options: JobscopePinoOptions, pinoOptions: pino.LoggerOptions = {}): PinoHandle {
  const transport = pino.transport({ target, options });
  const root = pino({ level: 'trace', base: undefined, ...pinoOptions }, transport);
  return {
    log: root.child(IDENTITY),
    flush: () => new Promise<void>((resolve, reject) => root.flush((err) => (err ? reject(err) : resolve()))),
    async end() {
      const closed = once(transport, 'close');
      transport.end();
      await closed;
    },
  };
}

test('the subpath @jobscope/sdk/pino resolves to the compiled transport', () => {
  const require = createRequire(import.meta.url);
  assert.equal(require.resolve('@jobscope/sdk/pino'), pinoTarget);
});

test('pino records land in otel_logs with their level, message, job_id and attributes', async () => {
  const srv = await startServer();
  const spool = tempDir('sdk-pino-spool-');
  const run = `pino-${Date.now()}`;
  const { log, flush, end } = pinoLogger('@jobscope/sdk/pino', {
    endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, serviceName: 'pino-worker', maxBatchDelayMs: 50,
  });
  try {
    const job = log.child({ job_id: 'job-p1' });
    job.info({ run, seq: 0, event_type: 'job_started', model: 'gpt-4o-mini' }, 'Job started');
    job.warn({ run, seq: 1, prompt_tokens: 812 }, 'Slow response');
    job.error({ run, seq: 2, event_type: 'job_failed', err: new Error('429 Too Many Requests') }, 'Job failed');
    job.trace({ run, seq: 3 }, 'trace detail');
    job.fatal({ run, seq: 4 }, 'giving up');
    await flush();
    await end();
    const rows = await runRows(srv, run);
    assert.deepEqual(rows.map((r) => [r.SeverityText, r.SeverityNumber, r.Body]), [
      ['info', 9, 'Job started'], ['warn', 13, 'Slow response'], ['error', 17, 'Job failed'], ['trace', 1, 'trace detail'], ['fatal', 21, 'giving up'],
    ]);
    for (const r of rows) {
      assert.deepEqual([r.JobId, r.MachineId, r.WorkerId, r.ServiceType, r.ServiceName], ['job-p1', 'm-3', 'm-3-openai-0', 'openai', 'pino-worker']);
    }
    assert.deepEqual(rows.map((r) => r.EventType), ['job_started', '', 'job_failed', '', '']);
    assert.equal(rows[0].LogAttributes.model, 'gpt-4o-mini');
    assert.equal(rows[1].LogAttributes.prompt_tokens, '812');
    assert.match(rows[2].LogAttributes.err, /429 Too Many Requests/);
    const t = Date.parse(rows[0].Timestamp.replace(' ', 'T') + 'Z');
    assert.ok(Math.abs(t - Date.now()) < 60_000, `pino's time kept (${rows[0].Timestamp})`);
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

test('pino with a custom messageKey: the message still becomes the body', async () => {
  const srv = await startServer();
  const spool = tempDir('sdk-pino-spool-');
  const run = `pino-key-${Date.now()}`;
  const { log, flush, end } = pinoLogger(pinoTarget, { endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, messageKey: 'text' }, { messageKey: 'text' });
  try {
    log.info({ run, seq: 0, job_id: 'job-k' }, 'custom key');
    await flush();
    await end();
    const rows = await runRows(srv, run);
    assert.deepEqual(rows.map((r) => [r.Body, r.JobId, r.LogAttributes.text]), [['custom key', 'job-k', undefined]]);
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

test('pino, server absent at start: records are spooled in the worker, then arrive exactly once', async () => {
  const port = await freePort();
  const spool = tempDir('sdk-pino-spool-');
  const run = `pino-absent-${Date.now()}`;
  const { log, end } = pinoLogger(pinoTarget, {
    endpoint: `http://127.0.0.1:${port}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 50, maxBatchRecords: 200, timeoutMs: 1000,
    retry: { initialDelayMs: 20, maxDelayMs: 200, maxElapsedMs: 300 }, breaker: { failures: 1, halfOpenAfterMs: 200 },
  });
  const N = 2000;
  for (let i = 0; i < N; i++) {
    log.info({ run, seq: i, job_id: `job-${i % 5}`, event_type: 'job_progress', progress: i % 100 }, `line ${i}`);
    if (i % 250 === 249) await new Promise((r) => setTimeout(r, 30));
  }
  // Let the worker's batches fail and go to the spool before the server exists.
  await new Promise((r) => setTimeout(r, 1500));
  const srv = await startServer(port);
  try {
    assert.ok(await until(async () => (await srv.rows(run)).total >= N, 30_000), `rows: ${JSON.stringify(await srv.rows(run))}`);
    await end();
    assert.deepEqual(await srv.rows(run), { total: N, distinct: N });
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

/** Winston → JobscopeWinstonTransport → exporter (worker mode) → a real Jobscope server (embedded chdb). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import winston from 'winston';
import { freePort, startServer, tempDir, until } from '../export/testkit/server.js';
import { runRows } from './testkit.js';
import { JobscopeWinstonTransport } from './winston.js';

const IDENTITY = { machine_id: 'm-7', worker_id: 'm-7-comfyui-1', service_type: 'comfyui', connector_id: 'comfyui-local' };

function logger(transport: JobscopeWinstonTransport): winston.Logger {
  return winston.createLogger({
    level: 'debug',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    defaultMeta: IDENTITY,
    transports: [transport],
  });
}

test('winston records land in otel_logs with their level, message, job_id and attributes', async () => {
  const srv = await startServer();
  const spool = tempDir('sdk-winston-spool-');
  const run = `winston-${Date.now()}`;
  const transport = new JobscopeWinstonTransport({
    exporter: { endpoint: `${srv.url}/v1/logs`, spoolDir: spool.dir, serviceName: 'winston-worker', maxBatchDelayMs: 50 },
  });
  const log = logger(transport);
  try {
    log.info('Job started', { run, seq: 0, job_id: 'job-w1', event_type: 'job_started', model: 'sdxl-base' });
    log.warn('VRAM high', { run, seq: 1, job_id: 'job-w1', vram_usage: 22.5 });
    log.error('Job failed', { run, seq: 2, jobId: 'job-w1', event_type: 'job_failed', error: new Error('CUDA out of memory') });
    log.debug('step', { run, seq: 3, job_id: 'job-w1', step: 7, total_steps: 20 });
    await transport.close();
    const rows = await runRows(srv, run);
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => [r.SeverityText, r.SeverityNumber, r.Body]), [
      ['info', 9, 'Job started'], ['warn', 13, 'VRAM high'], ['error', 17, 'Job failed'], ['debug', 5, 'step'],
    ]);
    assert.deepEqual(rows.map((r) => r.JobId), ['job-w1', 'job-w1', 'job-w1', 'job-w1'], 'jobId alias normalized to job_id');
    assert.deepEqual(rows.map((r) => r.EventType), ['job_started', '', 'job_failed', '']);
    for (const r of rows) {
      assert.deepEqual([r.MachineId, r.WorkerId, r.ServiceType, r.ServiceName], ['m-7', 'm-7-comfyui-1', 'comfyui', 'winston-worker']);
    }
    assert.equal(rows[0].LogAttributes.model, 'sdxl-base');
    assert.equal(rows[1].LogAttributes.vram_usage, '22.5');
    assert.match(rows[2].LogAttributes.error, /CUDA out of memory/);
    assert.equal(transport.stats().sink.dropped, 0);
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

test('winston, server absent at start: records are spooled, then arrive exactly once when it comes up', async () => {
  const port = await freePort();
  const spool = tempDir('sdk-winston-spool-');
  const run = `winston-absent-${Date.now()}`;
  const transport = new JobscopeWinstonTransport({
    exporter: {
      endpoint: `http://127.0.0.1:${port}/v1/logs`, spoolDir: spool.dir, maxBatchDelayMs: 50, maxBatchRecords: 200, timeoutMs: 1000,
      retry: { initialDelayMs: 20, maxDelayMs: 200, maxElapsedMs: 300 }, breaker: { failures: 1, halfOpenAfterMs: 200 },
    },
  });
  const log = logger(transport);
  const N = 2000;
  for (let i = 0; i < N; i++) {
    log.info(`line ${i}`, { run, seq: i, job_id: `job-${i % 5}`, event_type: 'job_progress', progress: i % 100 });
    if (i % 250 === 249) await new Promise((r) => setTimeout(r, 30));
  }
  assert.ok(await until(() => transport.stats().sink.spooled > 0, 5000), 'batches go to the spool while the server is absent');
  const srv = await startServer(port);
  try {
    assert.ok(await until(() => transport.stats().sink.sent >= N, 20_000), JSON.stringify(transport.stats()));
    await transport.close();
    assert.deepEqual(await srv.rows(run), { total: N, distinct: N });
    const s = transport.stats();
    assert.deepEqual([s.logged, s.refused, s.errors, s.sink.dropped], [N, 0, 0, 0]);
    assert.ok(s.sink.replayed > 0, 'spooled batches were replayed');
  } finally {
    await srv.close();
    spool.cleanup();
  }
});

/** The queue keeper: promotes due scheduled jobs and fails unworkable ones with the right events; never throws. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogger } from '@jobscope/sdk';
import { MemorySink } from '@jobscope/sdk/testkit';
import { createMemoryQueue } from '../queue/index.js';
import { QueueKeeper } from './keeper.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('promote logs each scheduled job it queues; reap fails unworkable jobs as job_failed status=unworkable', async () => {
  const queue = createMemoryQueue();
  const sink = new MemorySink();
  const logger = new ConnectorLogger({ machineId: 'api-server', serviceType: 'api', connectorId: 'api', sink, env: {} });
  const keeper = new QueueKeeper({ queue, logger, unworkableAfterMs: 50 });
  const later = await queue.submit({ service_type: 'rest', delay_ms: 30 });
  const orphan = await queue.submit({ service_type: 'video-upscale', model: 'realesrgan-x4' });
  assert.deepEqual(await keeper.promote(), []);
  await sleep(60);
  assert.deepEqual((await keeper.promote()).map((j) => j.id), [later.id]);
  const queued = sink.records().find((r) => r.msg === 'Scheduled job queued');
  assert.equal(queued?.job_id, later.id);
  await queue.claim({ machineId: 'm', workerId: 'w', serviceTypes: ['rest'] }); // rest has a worker
  const reaped = await keeper.reap();
  assert.deepEqual(reaped.map((j) => j.id), [orphan.id]);
  const failed = sink.records().filter((r) => r.event_type === 'job_failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.job_id, orphan.id);
  assert.equal(failed[0]!.status, 'unworkable');
  assert.equal(failed[0]!.error_type, 'validation');
  assert.equal(failed[0]!.retryable, false);
  assert.match(String(failed[0]!.error), /no worker can run service_type video-upscale/);
  assert.deepEqual([keeper.promoted, keeper.unworkable], [1, 1]);
  await queue.close();
});

test('a failing queue is counted, not thrown, and ticks do not overlap', async () => {
  const queue = createMemoryQueue();
  await queue.close(); // every call now rejects
  const keeper = new QueueKeeper({ queue, logger: new ConnectorLogger({ sink: new MemorySink(), env: {} }), promoteEveryMs: 5, reapEveryMs: 5 });
  keeper.start();
  await sleep(60);
  keeper.stop();
  assert.ok(keeper.errors > 0);
  assert.equal(keeper.promoted, 0);
});

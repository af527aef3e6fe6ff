/**
 * Workers on a real Redis: jobs of every service type pass through every
 * status, retries happen and stop at max_retries, every service type logs
 * its schema's fields, the GPU OOM machine's failures are error_type=memory,
 * and finished jobs reach their webhook.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogger } from '@jobscope/sdk';
import { connectorFor, FaultSet, SERVICE_TYPES } from '../connectors/index.js';
import { createRedisQueue, startRedisServer, type JobQueue, type JobRecord } from '../queue/index.js';
import { createRng } from '../random/index.js';
import { MemorySink as MemoryLines } from '@jobscope/sdk/testkit';
import { createWebhookDeliverer, createWebhookReceiver } from '../webhook/index.js';
import { SimWorker } from './worker.js';

let redis: Awaited<ReturnType<typeof startRedisServer>>;
let queue: JobQueue;
before(async () => {
  redis = await startRedisServer();
  queue = await createRedisQueue(redis.url);
});
after(async () => {
  await queue.close();
  await redis.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function machine(machineId: string, workers: number, sink: MemoryLines, faults: FaultSet, finished: JobRecord[], webhookLogger: ConnectorLogger) {
  const webhook = createWebhookDeliverer({ logger: webhookLogger, sleep: () => sleep(1) });
  return Array.from({ length: workers }, (_, w) => new SimWorker({
    queue, machineId, workerId: `${machineId}-worker-${w}`, faults, rng: createRng(`${machineId}-${w}`), webhook,
    connectors: SERVICE_TYPES.map((st) => ({
      connector: connectorFor(st),
      logger: new ConnectorLogger({ machineId, workerId: `${machineId}-worker-${w}`, serviceType: st, connectorId: `${st}-sim`, sink }),
    })),
    sleep, durationScale: 0.0005, pollMs: 5, heartbeatMs: 50,
    onFinished: (j) => finished.push(j),
  }));
}

test('jobs of every service type run to a final state on real Redis, with retries bounded and faults visible', { timeout: 120_000 }, async () => {
  const receiver = createWebhookReceiver({ failureRate: 0 });
  const hook = await receiver.app.listen({ host: '127.0.0.1', port: 0 });
  const sink = new MemoryLines();
  const faults = new FaultSet();
  faults.activate('gpu_oom', { machineId: 'machine-oom' });
  const finished: JobRecord[] = [];
  const hookLogger = new ConnectorLogger({ machineId: 'api', workerId: 'webhook-0', serviceType: 'webhook', connectorId: 'webhook', sink });
  const workers = [
    ...machine('machine-ok', 2, sink, faults, finished, hookLogger),
    ...machine('machine-oom', 2, sink, faults, finished, hookLogger),
  ];
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    const st = SERVICE_TYPES[i % SERVICE_TYPES.length] as string;
    const job = await queue.submit({ service_type: st, max_retries: 2, webhook_url: `${hook}/hooks/test`, priority: i % 3 });
    ids.push(job.id);
  }
  for (const w of workers) w.start();
  const deadline = Date.now() + 90_000;
  while (finished.length < ids.length && Date.now() < deadline) await sleep(50);
  await Promise.all(workers.map((w) => w.stop()));
  await receiver.app.close();

  assert.equal(finished.length, ids.length, 'every job reached a final state');
  const records = await Promise.all(ids.map((id) => queue.get(id)));
  for (const r of records) {
    assert.ok(r && (r.status === 'completed' || r.status === 'failed'), `job ${r?.id} final: ${r?.status}`);
    assert.ok(r.attempts >= 1 && r.attempts <= r.max_retries + 1, `attempts ${r.attempts} within max_retries ${r.max_retries}`);
  }
  const lines = sink.records();
  const events = (type: string): Record<string, unknown>[] => lines.filter((l) => l.event_type === type);
  for (const t of ['worker_registered', 'worker_heartbeat', 'job_received', 'job_started', 'job_progress', 'job_completed', 'job_failed', 'job_retried', 'webhook_delivered']) {
    assert.ok(events(t).length > 0, `some ${t}`);
  }
  // every job's story: received and started once per attempt
  for (const r of records) {
    const received = events('job_received').filter((l) => l.job_id === r!.id).length;
    assert.equal(received, r!.attempts, `${r!.id}: one job_received per attempt`);
  }
  // retries stop at max_retries: a job failed for good after a retryable error used every attempt
  const retryableTypes = new Set(['timeout', 'memory', 'network', 'rate_limit', 'unknown']);
  for (const r of records) {
    if ((r!.status === 'failed' || r!.status === 'timeout') && retryableTypes.has(r!.error_type)) {
      assert.equal(r!.attempts, r!.max_retries + 1, `${r!.id} (${r!.error_type}) retried up to max_retries`);
    }
  }
  // the OOM machine's failures are memory errors; the other machine's GPU jobs mostly succeed
  const oomFailures = events('job_failed').filter((l) => l.machine_id === 'machine-oom' && (l.service_type === 'comfyui' || l.service_type === 'a1111'));
  assert.ok(oomFailures.length > 0);
  assert.ok(oomFailures.filter((l) => l.error_type === 'memory').length / oomFailures.length > 0.8, 'OOM machine fails with error_type=memory');
  const okGpuFailures = events('job_failed').filter((l) => l.machine_id === 'machine-ok' && l.error_type === 'memory');
  assert.ok(okGpuFailures.length <= 2, `the healthy machine has (almost) no OOM (${okGpuFailures.length})`);
  // every service type logged its schema's fields, without schema errors
  for (const st of SERVICE_TYPES) {
    const own = lines.filter((l) => l.service_type === st && !l.event_type);
    assert.ok(own.length > 0, `${st} logged connector lines`);
    assert.ok(own.every((l) => !l.schema_errors), `${st}: no schema_errors`);
  }
  assert.ok(receiver.received() > 0 && events('webhook_delivered').length === receiver.received(), 'finished jobs reached the webhook');
});

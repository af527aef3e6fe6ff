import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogger } from '@jobscope/sdk';
import type { JobRecord } from '../queue/index.js';
import { MemorySink as MemoryLines } from '@jobscope/sdk/testkit';
import { createWebhookDeliverer } from './deliverer.js';
import { createWebhookReceiver } from './receiver.js';

const job = (url: string): JobRecord => ({
  id: 'job-w1', service_type: 'rest', model: '', payload: {}, priority: 0, max_retries: 3, attempts: 1, status: 'completed', webhook_url: url,
  traceparent: '', tracestate: '', last_attempt: '', submitted_at: 1, run_at: 1, queued_at: 1, claimed_at: 2, started_at: 3, finished_at: 4, machine_id: 'm', worker_id: 'w',
  progress: 100, error: '', error_type: '', result: { ok: true },
});

test('retries 5xx with backoff, then delivers; gives up after maxAttempts with webhook_failed', async () => {
  // random() draws: request 1 fails (0) with 500 (0), request 2 fails (0) with 503 (0.9), request 3 succeeds (0.9)
  const draws = [0, 0, 0, 0.9, 0.9];
  const receiver = createWebhookReceiver({ failureRate: 1, random: () => 0 }); // always fails: used for the give-up case
  const flaky = createWebhookReceiver({ failureRate: 0.5, random: () => draws.shift() ?? 0.9 });
  const a = await flaky.app.listen({ host: '127.0.0.1', port: 0 });
  const b = await receiver.app.listen({ host: '127.0.0.1', port: 0 });
  const sink = new MemoryLines();
  const d = createWebhookDeliverer({ logger: new ConnectorLogger({ machineId: 'm', workerId: 'hook', serviceType: 'webhook', connectorId: 'webhook', sink }), sleep: async () => {}, maxAttempts: 3 });
  assert.equal(await d.deliver(job(`${a}/hooks/x`)), true);
  const delivered = sink.records().find((l) => l.event_type === 'webhook_delivered');
  assert.equal(delivered?.attempt, 3);
  assert.equal(await d.deliver(job(`${b}/hooks/x`)), false);
  const failed = sink.records().find((l) => l.event_type === 'webhook_failed');
  assert.equal(failed?.attempts, 3);
  assert.equal(await d.deliver(job('http://127.0.0.1:1/hooks/x')), false, 'connection refused: failed, no throw');
  await flaky.app.close();
  await receiver.app.close();
});

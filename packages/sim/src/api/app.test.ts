import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogger } from '@jobscope/sdk';
import { createMemoryQueue } from '../queue/index.js';
import { MemorySink as MemoryLines } from '@jobscope/sdk/testkit';
import { createApiApp } from './app.js';

test('POST /api/jobs queues a job and logs job_submitted; GET reads it back; bad input is a 400', async () => {
  const queue = createMemoryQueue();
  const sink = new MemoryLines();
  const app = createApiApp({ queue, logger: new ConnectorLogger({ machineId: 'api', workerId: 'api-0', serviceType: 'api', connectorId: 'api', sink }) });
  const r = await app.inject({ method: 'POST', url: '/api/jobs', payload: { service_type: 'comfyui', model: 'sdxl', priority: 2, max_retries: 1 } });
  assert.equal(r.statusCode, 201);
  const job = r.json() as { id: string; status: string; max_retries: number };
  assert.equal(job.status, 'queued');
  assert.equal(job.max_retries, 1);
  const got = await app.inject({ method: 'GET', url: `/api/jobs/${job.id}` });
  assert.equal(got.statusCode, 200);
  assert.equal((got.json() as { id: string }).id, job.id);
  const line = sink.records().find((l) => l.event_type === 'job_submitted');
  assert.equal(line?.job_id, job.id);
  assert.equal(line?.service_type, 'comfyui');
  assert.equal((await app.inject({ method: 'GET', url: '/api/jobs/nope' })).statusCode, 404);
  const cancelled = await app.inject({ method: 'DELETE', url: `/api/jobs/${job.id}` });
  assert.equal(cancelled.statusCode, 200);
  assert.equal((cancelled.json() as { status: string }).status, 'cancelled');
  assert.equal(sink.records().find((l) => l.event_type === 'job_cancelled')?.job_id, job.id);
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/jobs/${job.id}` })).statusCode, 409, 'already finished');
  assert.equal((await app.inject({ method: 'DELETE', url: '/api/jobs/nope' })).statusCode, 404);
  for (const payload of [{}, { service_type: '' }, { service_type: 'x', priority: 1.5 }, { service_type: 'x', max_retries: -1 }, { service_type: 'x', webhook_url: 'ftp://x' }, [1]]) {
    const bad = await app.inject({ method: 'POST', url: '/api/jobs', payload });
    assert.equal(bad.statusCode, 400, JSON.stringify(payload));
  }
  assert.equal((await app.inject({ method: 'POST', url: '/api/jobs', headers: { 'content-type': 'application/json' }, payload: '{bad' })).statusCode, 400);
  await app.close();
  await queue.close();
});

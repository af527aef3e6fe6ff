/** The four processors in the agent's order, on records as the fluent_http receiver makes them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportLogsServiceRequest } from '@jobscope/otlp';
import { itemCount, type Telemetry } from '../../telemetry.js';
import { runProcessors } from '../processor.js';
import { logsRequest, structuredToLogRecord } from '../../receivers/shared/structured-log.js';
import { createEnrichProcessor } from '../enrich/index.js';
import { createCanonicalProcessor } from '../canonical/index.js';
import { createRedactProcessor } from '../redact/index.js';
import { createFilterProcessor } from './index.js';

test('enrich → canonical → redact → filter', () => {
  const observed = '1764324000000000000';
  const records = [
    { msg: 'job started', level: 'info', jobId: 'job-1', serviceType: 'comfyui', queueRemaining: '2' },
    { msg: 'polling', lvl: 'debug', jobId: 'job-1' },
    { msg: 'upstream call with Authorization: Bearer 0123456789abcdef', level: 'warn', jobId: 'job-1', api_key: 'k-1' },
    { msg: 'GET /healthz 200', level: 'info' },
  ].map((o) => structuredToLogRecord(o, '', observed));
  const t: Telemetry = { signal: 'logs', request: logsRequest({ 'fluent.tag': 'worker' }, 'jobscope.agent.fluent_http', records) };
  const out = runProcessors([
    createEnrichProcessor({ machineId: 'gpu-1', hostName: 'box', environment: 'prod', agentVersion: '0.1.0' }),
    createCanonicalProcessor(),
    createRedactProcessor(),
    createFilterProcessor({ minSeverity: 'info', rules: [{ action: 'drop', field: 'body', matches: '^GET /healthz' }] }),
  ], t);
  assert.ok(out);
  assert.equal(itemCount(out), 2);
  const rl = (out.request as ExportLogsServiceRequest).resourceLogs[0]!;
  assert.deepEqual(rl.resource.attributes, {
    'fluent.tag': 'worker', machine_id: 'gpu-1', 'host.name': 'box', dataset: 'prod', 'jobscope.agent.version': '0.1.0',
  });
  const [started, upstream] = rl.scopeLogs[0]!.logRecords;
  assert.deepEqual(started!.attributes, { level: 'info', job_id: 'job-1', service_type: 'comfyui', queue_remaining: 2 });
  assert.equal(upstream!.body, 'upstream call with Authorization: Bearer [REDACTED]');
  assert.equal(upstream!.attributes.api_key, '[REDACTED]');
  assert.equal(upstream!.attributes.job_id, 'job-1');
});

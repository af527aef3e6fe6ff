/** Every method writes one JSON line with the expected fields. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogger } from './connector-logger.js';
import { MemorySink } from './testkit.js';

const BASE = { machine_id: 'm1', worker_id: 'w1', service_type: 'comfyui', connector_id: 'c1' };

function setup(): { log: ConnectorLogger; sink: MemorySink } {
  const sink = new MemorySink();
  const log = new ConnectorLogger({ machineId: 'm1', workerId: 'w1', serviceType: 'comfyui', connectorId: 'c1', sink, level: 'trace', env: {} });
  return { log, sink };
}

/** The record minus `time` (checked separately). */
function body(r: Record<string, unknown>): Record<string, unknown> {
  const { time, stack, ...rest } = r;
  assert.equal(typeof time, 'number');
  assert.ok(Math.abs((time as number) - Date.now()) < 60_000);
  return stack === undefined ? rest : { ...rest, stack: typeof stack };
}

const boom = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8188'), { code: 'ECONNREFUSED' });

type Case = [name: string, call: (l: ConnectorLogger) => void, expected: Record<string, unknown>];

const CASES: Case[] = [
  ['info', (l) => l.info('hello', { prompt_id: 'p1' }), { level: 'info', msg: 'hello', prompt_id: 'p1' }],
  ['warn', (l) => l.warn('careful'), { level: 'warn', msg: 'careful' }],
  ['debug', (l) => l.debug('details', { a: 1 }), { level: 'debug', msg: 'details', a: 1 }],
  ['trace', (l) => l.trace('fine'), { level: 'trace', msg: 'fine' }],
  ['fatal', (l) => l.fatal('dead'), { level: 'fatal', msg: 'dead' }],
  ['error(message, meta)', (l) => l.error('bad', { node_id: '3' }), { level: 'error', msg: 'bad', node_id: '3' }],
  ['error(message, Error, meta) (original API)', (l) => l.error('bad', boom, { node_id: '3' }),
    { level: 'error', msg: 'bad', error: boom.message, error_name: 'Error', error_code: 'ECONNREFUSED', stack: 'string', node_id: '3' }],
  ['error(message, string)', (l) => l.error('bad', 'it broke'), { level: 'error', msg: 'bad', error: 'it broke' }],
  ['jobSubmitted', (l) => l.jobSubmitted('j1', { priority: 5 }), { level: 'info', msg: 'Job submitted', event_type: 'job_submitted', job_id: 'j1', priority: 5 }],
  ['jobReceived', (l) => l.jobReceived('j1', { queue_wait_ms: 120 }), { level: 'info', msg: 'Job received', event_type: 'job_received', job_id: 'j1', queue_wait_ms: 120 }],
  ['jobStarted', (l) => l.jobStarted('j1', { attempt: 1, model: 'sdxl' }), { level: 'info', msg: 'Job started', event_type: 'job_started', job_id: 'j1', attempt: 1, model: 'sdxl' }],
  ['jobProgress(id, progress, meta)', (l) => l.jobProgress('j1', 45.5, { step: 9, total_steps: 20 }),
    { level: 'info', msg: 'Job progress', event_type: 'job_progress', job_id: 'j1', progress: 45.5, step: 9, total_steps: 20 }],
  ['jobProgress(id, {step, total_steps})', (l) => l.jobProgress('j1', { step: 3, total_steps: 8 }),
    { level: 'info', msg: 'Job progress', event_type: 'job_progress', job_id: 'j1', progress: 37.5, step: 3, total_steps: 8 }],
  ['jobCompleted', (l) => l.jobCompleted('j1', { duration_ms: 1500, output_size: 2048, model: 'sdxl', progress: 100, status: 'completed' }),
    { level: 'info', msg: 'Job completed', event_type: 'job_completed', job_id: 'j1', duration_ms: 1500, output_size: 2048, model: 'sdxl', progress: 100, status: 'completed' }],
  ['jobFailed', (l) => l.jobFailed('j1', boom, { duration_ms: 30 }),
    { level: 'error', msg: 'Job failed', event_type: 'job_failed', job_id: 'j1', error: boom.message, error_name: 'Error', error_code: 'ECONNREFUSED', stack: 'string', error_type: 'network', retryable: true, duration_ms: 30 }],
  ['jobFailed with a string error', (l) => l.jobFailed('j1', 'CUDA out of memory. Tried to allocate 2 GiB'),
    { level: 'error', msg: 'Job failed', event_type: 'job_failed', job_id: 'j1', error: 'CUDA out of memory. Tried to allocate 2 GiB', error_type: 'memory', retryable: true }],
  ['jobFailed with error_type from meta', (l) => l.jobFailed('j1', new RangeError('x'), { error_type: 'validation' }),
    { level: 'error', msg: 'Job failed', event_type: 'job_failed', job_id: 'j1', error: 'x', error_name: 'RangeError', stack: 'string', retryable: false, error_type: 'validation' }],
  ['jobRetried', (l) => l.jobRetried('j1', 2, { reason: 'timeout', delay_ms: 1000 }),
    { level: 'warn', msg: 'Job retried', event_type: 'job_retried', job_id: 'j1', attempt: 2, reason: 'timeout', delay_ms: 1000 }],
  ['jobCancelled', (l) => l.jobCancelled('j1', 'user request'), { level: 'info', msg: 'Job cancelled', event_type: 'job_cancelled', job_id: 'j1', reason: 'user request' }],
  ['jobTimeout', (l) => l.jobTimeout('j1', 300000, { duration_ms: 300010 }),
    { level: 'error', msg: 'Job timed out', event_type: 'job_timeout', job_id: 'j1', timeout_ms: 300000, error_type: 'timeout', retryable: true, duration_ms: 300010 }],
  ['workerRegistered', (l) => l.workerRegistered({ version: '1.2.0', gpu: 'A100' }), { level: 'info', msg: 'Worker registered', event_type: 'worker_registered', version: '1.2.0', gpu: 'A100' }],
  ['workerHeartbeat', (l) => l.workerHeartbeat({ active_jobs: 1 }), { level: 'info', msg: 'Worker heartbeat', event_type: 'worker_heartbeat', active_jobs: 1 }],
  ['workerStatusChanged', (l) => l.workerStatusChanged('busy', 'idle'),
    { level: 'info', msg: 'Worker status changed', event_type: 'worker_status_changed', status: 'busy', previous_status: 'idle' }],
  ['machineStarted', (l) => l.machineStarted({ gpu_count: 2 }), { level: 'info', msg: 'Machine started', event_type: 'machine_started', gpu_count: 2 }],
  ['machineStopped', (l) => l.machineStopped('scale-down'), { level: 'info', msg: 'Machine stopped', event_type: 'machine_stopped', reason: 'scale-down' }],
  ['healthCheck healthy', (l) => l.healthCheck('healthy', { latency_ms: 12 }),
    { level: 'info', msg: 'Health check: healthy', event_type: 'health_check', health_status: 'healthy', latency_ms: 12 }],
  ['healthCheck unhealthy', (l) => l.healthCheck('unhealthy'), { level: 'warn', msg: 'Health check: unhealthy', event_type: 'health_check', health_status: 'unhealthy' }],
  ['serviceEvent', (l) => l.serviceEvent('model_loaded', 'Model loaded', { model_name: 'sdxl' }),
    { level: 'info', msg: 'Model loaded', event_type: 'service_model_loaded', model_name: 'sdxl' }],
  ['serviceEvent already prefixed', (l) => l.serviceEvent('service_ready', 'Ready'), { level: 'info', msg: 'Ready', event_type: 'service_ready' }],
  ['webhookDelivered', (l) => l.webhookDelivered('j1', { status_code: 200, duration_ms: 80 }),
    { level: 'info', msg: 'Webhook delivered', event_type: 'webhook_delivered', job_id: 'j1', status_code: 200, duration_ms: 80 }],
  ['webhookFailed', (l) => l.webhookFailed('j1', Object.assign(new Error('Too Many Requests'), { status: 429 }), { attempt: 2 }),
    { level: 'warn', msg: 'Webhook failed', event_type: 'webhook_failed', job_id: 'j1', error: 'Too Many Requests', error_name: 'Error', stack: 'string', error_type: 'rate_limit', retryable: true, attempt: 2 }],
];

for (const [name, call, expected] of CASES) {
  test(`writes one line: ${name}`, () => {
    const { log, sink } = setup();
    call(log);
    assert.equal(sink.lines.length, 1);
    assert.deepEqual(body(sink.last()), { ...BASE, ...expected });
  });
}

test('original API: job methods take a JobLogData object', () => {
  const { log, sink } = setup();
  log.jobReceived({ jobId: 'j9', model: 'sdxl', inputSize: 10 });
  log.jobCompleted({ jobId: 'j9', duration: 1500, outputSize: 20 });
  log.jobProgress({ jobId: 'j9', progress: 50 });
  log.jobFailed({ jobId: 'j9', error: 'timeout waiting for websocket', duration: 100 });
  const [a, b, c, d] = sink.records().map(body);
  assert.deepEqual(a, { ...BASE, level: 'info', msg: 'Job received', event_type: 'job_received', job_id: 'j9', model: 'sdxl', input_size: 10 });
  assert.deepEqual(b, { ...BASE, level: 'info', msg: 'Job completed', event_type: 'job_completed', job_id: 'j9', duration_ms: 1500, output_size: 20 });
  assert.deepEqual(c, { ...BASE, level: 'info', msg: 'Job progress', event_type: 'job_progress', job_id: 'j9', progress: 50 });
  assert.deepEqual(d, { ...BASE, level: 'error', msg: 'Job failed', event_type: 'job_failed', job_id: 'j9', error: 'timeout waiting for websocket', error_type: 'timeout', retryable: true, duration_ms: 100 });
});

test('original API: constructor with a context and the transport flag', () => {
  const sink = new MemorySink();
  const log = new ConnectorLogger({ machineId: 'm', workerId: 'w', serviceType: 'openai', connectorId: 'c', sink } as never, false);
  log.info('x');
  assert.deepEqual(body(sink.last()), { machine_id: 'm', worker_id: 'w', service_type: 'openai', connector_id: 'c', level: 'info', msg: 'x' });
});

test('every line is one line of JSON in pino shape (time, level, msg)', () => {
  const { log, sink } = setup();
  for (const [, call] of CASES) call(log);
  for (const line of sink.lines) {
    assert.ok(!line.includes('\n'));
    const r = JSON.parse(line) as Record<string, unknown>;
    assert.equal(typeof r.time, 'number');
    assert.equal(typeof r.level, 'string');
    assert.equal(typeof r.msg, 'string');
  }
});

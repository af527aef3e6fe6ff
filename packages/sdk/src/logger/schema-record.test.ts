/** Connector fields in meta are validated with the logger's service_type schema, on the record. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogger } from './connector-logger.js';
import { MemorySink } from './testkit.js';

function logger(serviceType: string): { log: ConnectorLogger; sink: MemorySink } {
  const sink = new MemorySink();
  return { sink, log: new ConnectorLogger({ machineId: 'm', serviceType, sink, env: {} }) };
}

type Case = [serviceType: string, meta: Record<string, unknown>, fields: Record<string, unknown>, errors?: string[]];

const CASES: Case[] = [
  ['comfyui', { promptId: 'p1', queueRemaining: '3', vram_usage: '1024.5' }, { prompt_id: 'p1', queue_remaining: 3, vram_usage: 1024.5 }],
  ['comfyui', { queue_remaining: 'many' }, { queue_remaining: undefined }, ['queue_remaining: expected integer, got "many"']],
  ['openai-text', { 'gen_ai.usage.input_tokens': 10, completionTokens: '5', model: 'gpt-4o' }, { prompt_tokens: 10, completion_tokens: 5, model: 'gpt-4o' }],
  ['openai-image', { total_tokens: -1 }, { total_tokens: 0 }, ['total_tokens: -1 below minimum 0 (clamped)']],
  ['a1111', { steps: 'abc', cfg_scale: '7', sampler_name: 'Euler' }, { steps: undefined, cfg_scale: 7, sampler: 'Euler' }, ['steps: expected integer, got "abc"']],
  ['simulation', { iteration: '4', parameters: 'nope' }, { iteration: 4, parameters: undefined }, ['parameters: expected object, got "nope"']],
  ['rest', { method: 'post', statusCode: '404', retry_count: 1 }, { http_method: 'POST', status_code: 404, retry_count: 1 }],
  ['replicate', { status_code: 'teapot' }, { status_code: undefined }, ['status_code: expected integer, got "teapot"']],
  ['comfyui', { jobId: 'j-alias', durationMs: '12', progress: 140 }, { job_id: 'j-alias', duration_ms: 12, progress: 100 }, ['progress: 140 above maximum 100 (clamped)']],
];

for (const [serviceType, meta, fields, errors] of CASES) {
  test(`record fields for ${serviceType}: ${JSON.stringify(meta)}`, () => {
    const { log, sink } = logger(serviceType);
    log.info('x', meta);
    const r = sink.last();
    for (const [k, v] of Object.entries(fields)) assert.deepEqual(r[k], v, k);
    assert.deepEqual(r.schema_errors, errors);
    assert.equal(log.stats().schemaErrors, errors?.length ?? 0);
  });
}

test('event arguments are schema-checked too (progress clamped, attempt typed)', () => {
  const { log, sink } = logger('comfyui');
  log.jobProgress('j', 250);
  log.jobRetried('j', 'two' as never);
  const [a, b] = sink.records();
  assert.equal(a.progress, 100);
  assert.deepEqual(a.schema_errors, ['progress: 250 above maximum 100 (clamped)']);
  assert.equal(b.attempt, undefined);
  assert.deepEqual(b.schema_errors, ['attempt: expected integer, got "two"']);
});

test('schema errors do not leak into the next record', () => {
  const { log, sink } = logger('a1111');
  log.info('bad', { steps: 'x' });
  log.info('good', { steps: 2 });
  assert.equal(sink.records()[1].schema_errors, undefined);
});

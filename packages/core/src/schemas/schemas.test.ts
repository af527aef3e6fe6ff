import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaNameFor, SCHEMAS } from './connectors.js';
import { validate } from './validate.js';

type Case = [label: string, serviceType: string, input: Record<string, unknown>, fields: Record<string, unknown>, errors?: string[]];

const CASES: Case[] = [
  // comfyui
  ['comfyui: canonical fields pass', 'comfyui',
    { prompt_id: 'p1', client_id: 'c1', websocket_message_type: 'progress', queue_remaining: 2, execution_step: '12/20', node_id: '3', workflow_hash: 'abc', model_name: 'sdxl.safetensors', vram_usage: 10.5 },
    { prompt_id: 'p1', client_id: 'c1', websocket_message_type: 'progress', queue_remaining: 2, execution_step: '12/20', node_id: '3', workflow_hash: 'abc', model_name: 'sdxl.safetensors', vram_usage: 10.5 }],
  ['comfyui: camelCase aliases, numeric strings, numbers as strings', 'comfyui',
    { promptId: 'p1', clientId: 'c1', queueRemaining: '4', executionStep: 7, nodeId: 12, modelName: 'm', vramUsage: '2048' },
    { prompt_id: 'p1', client_id: 'c1', queue_remaining: 4, execution_step: '7', node_id: '12', model_name: 'm', vram_usage: 2048 }],
  ['comfyui: model_name stays (schema field beats the core alias)', 'comfyui-remote', { model_name: 'x' }, { model_name: 'x' }],
  ['comfyui: wrong types reported and dropped', 'comfyui',
    { queue_remaining: 'lots', vram_usage: -3, prompt_id: { a: 1 } },
    { vram_usage: 0 },
    ['queue_remaining: expected integer, got "lots"', 'vram_usage: -3 below minimum 0 (clamped)', 'prompt_id: expected string, got object']],

  // openai
  ['openai: canonical fields pass', 'openai',
    { model: 'gpt-4o', request_id: 'req_1', prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, response_time_ms: 812.5, request_size_bytes: 100, response_size_bytes: 2000 },
    { model: 'gpt-4o', request_id: 'req_1', prompt_tokens: 10, completion_tokens: 20, total_tokens: 30, response_time_ms: 812.5, request_size_bytes: 100, response_size_bytes: 2000 }],
  ['openai-text: gen_ai.* and camelCase aliases', 'openai-text',
    { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': '12', 'gen_ai.usage.output_tokens': 3, 'gen_ai.response.id': 'chatcmpl-1', totalTokens: 15, responseTimeMs: '99.5' },
    { model: 'gpt-4o-mini', prompt_tokens: 12, completion_tokens: 3, request_id: 'chatcmpl-1', total_tokens: 15, response_time_ms: 99.5 }],
  ['openai-image: bad tokens', 'openai-image',
    { prompt_tokens: 1.5, completion_tokens: 'x', total_tokens: Infinity },
    {},
    ['prompt_tokens: expected integer, got 1.5', 'completion_tokens: expected integer, got "x"', 'total_tokens: expected integer, got Infinity']],

  // a1111
  ['a1111: canonical fields pass', 'a1111',
    { sampler: 'Euler a', steps: 20, cfg_scale: 7.5, seed: -1, width: 512, height: 768, batch_size: 2, model_checkpoint: 'v1-5.ckpt', vae: 'auto' },
    { sampler: 'Euler a', steps: 20, cfg_scale: 7.5, seed: -1, width: 512, height: 768, batch_size: 2, model_checkpoint: 'v1-5.ckpt', vae: 'auto' }],
  ['a1111: API spellings', 'automatic1111',
    { sampler_name: 'DPM++ 2M', steps: '30', cfg_scale: '6', seed: '42', sd_model_checkpoint: 'sdxl', sd_vae: 'vae.pt', batchSize: 1 },
    { sampler: 'DPM++ 2M', steps: 30, cfg_scale: 6, seed: 42, model_checkpoint: 'sdxl', vae: 'vae.pt', batch_size: 1 }],
  ['a1111: the brief example', 'a1111', { steps: 'abc', width: 0 }, { width: 1 },
    ['steps: expected integer, got "abc"', 'width: 0 below minimum 1 (clamped)']],

  // simulation
  ['simulation: canonical fields pass', 'simulation',
    { simulation_type: 'monte-carlo', iteration: 5, total_iterations: 100, convergence: 0.001, parameters: { a: 1 } },
    { simulation_type: 'monte-carlo', iteration: 5, total_iterations: 100, convergence: 0.001, parameters: { a: 1 } }],
  ['simulation: aliases and JSON parameters', 'sim',
    { simulationType: 'x', totalIterations: '10', params: '{"k":2}', convergence: '1e-3' },
    { simulation_type: 'x', total_iterations: 10, parameters: { k: 2 }, convergence: 0.001 }],
  ['simulation: wrong parameters', 'simulation', { parameters: [1, 2], iteration: true }, {},
    ['parameters: expected object, got array', 'iteration: expected integer, got true']],

  // rest (and any other type)
  ['rest: canonical fields pass', 'rest',
    { http_method: 'POST', endpoint: '/v1/run', status_code: 200, retry_count: 1, timeout_ms: 30000 },
    { http_method: 'POST', endpoint: '/v1/run', status_code: 200, retry_count: 1, timeout_ms: 30000 }],
  ['rest: unknown service type, OTel names, lower-case method', 'replicate',
    { method: 'get', 'url.full': 'https://x/y', 'http.response.status_code': '503', retries: 2 },
    { http_method: 'GET', endpoint: 'https://x/y', status_code: 503, retry_count: 2 }],
  ['rest: out-of-range status', 'rest', { status_code: 42 }, { status_code: 100 }, ['status_code: 42 below minimum 100 (clamped)']],

  // common fields, every type
  ['common: canonical aliases and lifecycle numbers', 'comfyui',
    { jobId: 'j1', 'emp.machine.id': 'm1', durationMs: '1500', progress: 150, retryable: 'yes', outputSize: 10 },
    { job_id: 'j1', machine_id: 'm1', duration_ms: 1500, progress: 100, retryable: true, output_size: 10 },
    ['progress: 150 above maximum 100 (clamped)']],
  ['common: free-form keys kept, camelCase to snake_case, reserved keys renamed', 'rest',
    { customThing: 1, 'dotted.key': 'a', snake_key: [1], message: 'm', time: 5 },
    { custom_thing: 1, 'dotted.key': 'a', snake_key: [1], meta_message: 'm', meta_time: 5 }],
  ['common: null and undefined are absent', 'openai', { model: null, request_id: undefined }, {}],
  ['common: booleans', 'rest', { retryable: 0 }, { retryable: false }],
  ['common: bad boolean', 'rest', { retryable: 'maybe' }, {}, ['retryable: expected boolean, got "maybe"']],
];

for (const [label, serviceType, input, fields, errors] of CASES) {
  test(`validate ${label}`, () => {
    const out = validate(serviceType, input);
    const { schema_errors, ...rest } = out;
    assert.deepEqual(rest, fields);
    assert.deepEqual(schema_errors, errors);
  });
}

test('every schema has a passing canonical case', () => {
  for (const name of Object.keys(SCHEMAS)) {
    assert.ok(CASES.some(([label]) => label.startsWith(`${name}: canonical`)), name);
  }
});

test('schemaNameFor maps service types', () => {
  const table: Array<[string | undefined, string]> = [
    ['comfyui', 'comfyui'], ['ComfyUI', 'comfyui'], ['openai', 'openai'], ['openai-text', 'openai'],
    ['openai-image', 'openai'], ['a1111', 'a1111'], ['automatic1111', 'a1111'], ['simulation', 'simulation'],
    ['rest', 'rest'], ['replicate', 'rest'], ['', 'rest'], [undefined, 'rest'],
  ];
  for (const [t, want] of table) assert.equal(schemaNameFor(t), want, String(t));
});

test('validate never throws on odd input', () => {
  const throwing = Object.defineProperty({}, 'steps', { enumerable: true, get() { throw new Error('x'); } });
  assert.deepEqual(validate('a1111', throwing), { schema_errors: ['steps: unreadable'] });
  assert.deepEqual(validate('a1111', null), {});
  assert.deepEqual(validate('a1111', 'str'), { schema_errors: ['fields: expected object, got string'] });
  assert.deepEqual(validate('a1111', [1]), { schema_errors: ['fields: expected object, got array'] });
  const proxy = new Proxy({}, { ownKeys() { throw new Error('no keys'); } });
  assert.deepEqual(validate('a1111', proxy), { schema_errors: ['fields: no keys'] });
  const polluted = JSON.parse('{"__proto__": {"x": 1}, "steps": 3}') as Record<string, unknown>;
  const out = validate('a1111', polluted);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal(out.steps, 3);
  assert.equal(validate('rest', { a: 'x'.repeat(200) }).schema_errors, undefined);
  assert.match(validate('a1111', { steps: 'y'.repeat(200) }).schema_errors![0], /^steps: expected integer, got "y{40}…"$/);
});

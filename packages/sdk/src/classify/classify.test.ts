import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_TYPES, type ErrorType } from '@jobscope/core';
import { classifyError, retryable } from './classify.js';

const err = (message: string, props: Record<string, unknown> = {}): Error => Object.assign(new Error(message), props);
const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

/** Real-world messages (and error shapes) from connectors, HTTP clients, Node and GPU stacks. */
const CASES: Array<[label: string, input: unknown, expected: ErrorType]> = [
  // memory
  ['torch CUDA OOM', err('CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity; 20.1 GiB already allocated)'), 'memory'],
  ['torch OutOfMemoryError', named('OutOfMemoryError', 'torch.cuda.OutOfMemoryError: CUDA out of memory.'), 'memory'],
  ['ComfyUI OOM in HTTP 500', err('ComfyUI execution error: Allocation on device 0 would exceed allowed memory. (out of memory)', { status: 500 }), 'memory'],
  ['MPS OOM', err('MPS backend out of memory (MPS allocated: 17.5 GB)'), 'memory'],
  ['HIP OOM', err('HIP out of memory. Tried to allocate 1.2 GiB'), 'memory'],
  ['shell Killed', 'Killed', 'memory'],
  ['python Killed line', err('Process exited: Killed'), 'memory'],
  ['OOM word', err('Worker OOM while loading batch'), 'memory'],
  ['k8s OOMKilled', err('container terminated: OOMKilled'), 'memory'],
  ['node heap', err('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'), 'memory'],
  ['ENOMEM code', err('spawn ENOMEM', { code: 'ENOMEM' }), 'memory'],
  ['cublas alloc', err('CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`'), 'memory'],
  ['child killed SIGKILL', err('Command failed: python main.py', { signal: 'SIGKILL' }), 'memory'],
  ['exit 137', err('Command failed', { exitCode: 137 }), 'memory'],
  ['bad_alloc', err("terminate called after throwing an instance of 'std::bad_alloc'"), 'memory'],
  ['python MemoryError', err('MemoryError: Unable to allocate 3.2 GiB for an array'), 'memory'],

  // rate_limit
  ['HTTP 429 status', err('Request failed with status code 429', { status: 429 }), 'rate_limit'],
  ['axios 429', err('Request failed with status code 429', { response: { status: 429 } }), 'rate_limit'],
  ['OpenAI rate limit', err('Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000', { status: 429 }), 'rate_limit'],
  ['OpenAI quota', err('You exceeded your current quota, please check your plan and billing details.', { code: 'insufficient_quota' }), 'rate_limit'],
  ['too many requests text', 'Too Many Requests', 'rate_limit'],
  ['429 in text only', err('Replicate returned HTTP 429'), 'rate_limit'],
  ['AWS throttling', named('ThrottlingException', 'Rate exceeded'), 'rate_limit'],
  ['gRPC exhausted', err('8 RESOURCE_EXHAUSTED: Quota exceeded for quota metric'), 'rate_limit'],
  ['429 beats timeout text', err('rate limited, retry after timeout', { statusCode: 429 }), 'rate_limit'],
  ['status as string', err('Too many', { status: '429' }), 'rate_limit'],

  // timeout
  ['ETIMEDOUT code', err('connect ETIMEDOUT 10.0.0.5:8188', { code: 'ETIMEDOUT' }), 'timeout'],
  ['ETIMEDOUT string', 'connect ETIMEDOUT 10.0.0.5:8188', 'timeout'],
  ['ESOCKETTIMEDOUT', err('ESOCKETTIMEDOUT', { code: 'ESOCKETTIMEDOUT' }), 'timeout'],
  ['AbortError', named('AbortError', 'This operation was aborted'), 'timeout'],
  ['TimeoutError DOMException-like', named('TimeoutError', 'The operation was aborted due to timeout'), 'timeout'],
  ['undici connect timeout in cause', Object.assign(new TypeError('fetch failed'), { cause: err('Connect Timeout Error', { code: 'UND_ERR_CONNECT_TIMEOUT' }) }), 'timeout'],
  ['undici headers timeout', err('Headers Timeout Error', { code: 'UND_ERR_HEADERS_TIMEOUT' }), 'timeout'],
  ['axios timeout', err('timeout of 30000ms exceeded', { code: 'ECONNABORTED' }), 'timeout'],
  ['504 gateway', err('Gateway Timeout', { status: 504 }), 'timeout'],
  ['408', err('Request Timeout', { statusCode: 408 }), 'timeout'],
  ['job timed out', err('Job timed out after 300s waiting for ComfyUI'), 'timeout'],
  ['grpc deadline', err('4 DEADLINE_EXCEEDED: Deadline exceeded'), 'timeout'],
  ['websocket timeout', err('Timeout waiting for ComfyUI websocket message'), 'timeout'],
  ['OpenAI SDK timeout', named('APIConnectionTimeoutError', 'Request timed out.'), 'timeout'],

  // network
  ['ECONNRESET', err('read ECONNRESET', { code: 'ECONNRESET', errno: -104, syscall: 'read' }), 'network'],
  ['ECONNREFUSED', err('connect ECONNREFUSED 127.0.0.1:8188', { code: 'ECONNREFUSED' }), 'network'],
  ['ENOTFOUND', err('getaddrinfo ENOTFOUND comfyui.internal', { code: 'ENOTFOUND' }), 'network'],
  ['EAI_AGAIN', err('getaddrinfo EAI_AGAIN api.openai.com', { code: 'EAI_AGAIN' }), 'network'],
  ['EPIPE', err('write EPIPE', { code: 'EPIPE' }), 'network'],
  ['socket hang up', err('socket hang up', { code: 'ECONNRESET' }), 'network'],
  ['fetch failed with refused cause', Object.assign(new TypeError('fetch failed'), { cause: err('connect ECONNREFUSED 127.0.0.1:7860', { code: 'ECONNREFUSED' }) }), 'network'],
  ['AggregateError of refusals', Object.assign(new AggregateError([err('connect ECONNREFUSED ::1:8188', { code: 'ECONNREFUSED' })], ''), {}), 'network'],
  ['bare fetch failed', new TypeError('fetch failed'), 'network'],
  ['502', err('Bad Gateway', { status: 502 }), 'network'],
  ['503', err('Service Unavailable', { status: 503 }), 'network'],
  ['websocket closed', err('WebSocket is not open: readyState 3 (CLOSED)'), 'network'],
  ['connection reset text', 'Connection reset by peer', 'network'],
  ['undici socket', err('other side closed', { code: 'UND_ERR_SOCKET' }), 'network'],
  ['cert expired', err('certificate has expired', { code: 'CERT_HAS_EXPIRED' }), 'network'],
  ['premature close', err('Premature close', { code: 'ERR_STREAM_PREMATURE_CLOSE' }), 'network'],
  ['OpenAI connection error', named('APIConnectionError', 'Connection error.'), 'network'],
  ['network error text', 'Network Error', 'network'],

  // model
  ['OpenAI model 404', err('The model `gpt-5-turbo` does not exist or you do not have access to it.', { status: 404, code: 'model_not_found' }), 'model'],
  ['model not found text', 'model not found: sdxl-turbo', 'model'],
  ['ollama model', err("model 'llama3:70b' not found, try pulling it first"), 'model'],
  ['safetensors header', err('Error while deserializing header: HeaderTooLarge'), 'model'],
  ['SafetensorError', err('safetensors_rust.SafetensorError: Error while deserializing header: MetadataIncompleteBuffer'), 'model'],
  ['ComfyUI ckpt not in list', err("Prompt outputs failed validation: CheckpointLoaderSimple: Value not in list: ckpt_name: 'sd_xl_base_1.0.safetensors' not in ['v1-5.ckpt']"), 'model'],
  ['A1111 checkpoint', err('Failed to load checkpoint, restoring previous'), 'model'],
  ['state_dict', err('Error(s) in loading state_dict for UNet2DConditionModel: size mismatch for conv_in.weight'), 'model'],
  ['unpickling', err('_pickle.UnpicklingError: invalid load key'), 'model'],
  ['HF loading', err('Model stabilityai/sdxl is currently loading'), 'model'],
  ['lora not found', err('LoRA not found: detail-tweaker'), 'model'],
  ['unknown model', err('Unknown model: sd3-large'), 'model'],

  // validation
  ['400', err('Bad Request', { status: 400 }), 'validation'],
  ['422', err('Unprocessable Entity', { statusCode: 422 }), 'validation'],
  ['401 auth', err('Incorrect API key provided: sk-****', { status: 401 }), 'validation'],
  ['OpenAI invalid request', err("Invalid value for 'size': must be one of 256x256, 512x512", { type: 'invalid_request_error' }), 'validation'],
  ['context length', err("This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.", { code: 'context_length_exceeded' }), 'validation'],
  ['content policy', err('Your request was rejected as a result of our safety system.', { code: 'content_policy_violation', status: 400 }), 'validation'],
  ['ComfyUI missing input', err('Prompt outputs failed validation: SaveImage: Required input is missing: images'), 'validation'],
  ['ZodError', named('ZodError', 'Expected number, received string'), 'validation'],
  ['ValidationError', named('ValidationError', 'steps must be a positive integer'), 'validation'],
  ['node invalid arg', err('The "path" argument must be of type string. Received undefined', { code: 'ERR_INVALID_ARG_TYPE' }), 'validation'],
  ['invalid text', 'Invalid sampler name: Euler b', 'validation'],
  ['payload too large', err('Request Entity Too Large', { status: 413 }), 'validation'],
  ['OpenAI-style nested', { error: { message: 'Invalid image size', type: 'invalid_request_error', code: null } }, 'validation'],

  // unknown
  ['generic', new Error('Something went wrong'), 'unknown'],
  ['500 no words', err('Internal Server Error', { status: 500 }), 'unknown'],
  ['TypeError bug', new TypeError("Cannot read properties of undefined (reading 'images')"), 'unknown'],
  ['null', null, 'unknown'],
  ['undefined', undefined, 'unknown'],
  ['number 0', 0, 'unknown'],
  ['empty object', {}, 'unknown'],
  ['symbol', Symbol('x'), 'unknown'],
  ['job killed by user (not OOM)', 'job killed by user', 'unknown'],
  ['runtime output (not timeout)', 'unexpected runtime output', 'unknown'],
  ['room (not OOM)', 'no room left in the queue', 'unknown'],
];

test('classifyError: real-world table', () => {
  const failures: string[] = [];
  for (const [label, input, expected] of CASES) {
    const got = classifyError(input);
    if (got !== expected) failures.push(`${label}: expected ${expected}, got ${got}`);
  }
  assert.deepEqual(failures, []);
});

test('classifyError: the table covers every error type', () => {
  const covered = new Set(CASES.map((c) => c[2]));
  for (const t of ERROR_TYPES) assert.ok(covered.has(t), t);
});

test('classifyError: hostile inputs never throw', () => {
  const throwing = new Proxy({}, { get() { throw new Error('boom'); } });
  const cyclic: Record<string, unknown> = { message: 'x' };
  cyclic.cause = cyclic;
  cyclic.error = cyclic;
  const getter = Object.defineProperty(new Error('m'), 'code', { get() { throw new Error('no'); } });
  let deep: Record<string, unknown> = { message: 'bottom ECONNRESET' };
  for (let i = 0; i < 1000; i++) deep = { cause: deep };
  assert.equal(classifyError(throwing), 'unknown');
  assert.equal(classifyError(cyclic), 'unknown');
  assert.equal(classifyError(getter), 'unknown');
  assert.equal(classifyError(deep), 'unknown'); // bounded walk: too deep to see
  assert.equal(classifyError('x'.repeat(1_000_000)), 'unknown');
});

test('retryable: by error type', () => {
  assert.equal(retryable('timeout'), true);
  assert.equal(retryable('network'), true);
  assert.equal(retryable('rate_limit'), true);
  assert.equal(retryable('memory'), true);
  assert.equal(retryable('model'), false);
  assert.equal(retryable('validation'), false);
  assert.equal(retryable('unknown'), true);
  assert.equal(retryable('something-else'), true);
});

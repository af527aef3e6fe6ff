/**
 * The connector schemas: the fields of the mission brief's table with their
 * types, plus COMMON fields every service type shares (lifecycle numbers and
 * canonical ids). A schema's own fields win over COMMON and over the core
 * ATTRIBUTE_ALIASES (comfyui keeps `model_name`; ingest maps it to `model`).
 */
import type { ConnectorSchema, FieldSpec, SchemaName } from './types.js';

const str: FieldSpec = { type: 'string' };
const nonNegInt: FieldSpec = { type: 'integer', min: 0 };
const posInt: FieldSpec = { type: 'integer', min: 1 };
const nonNegNum: FieldSpec = { type: 'number', min: 0 };

export const COMMON: ConnectorSchema = {
  name: 'rest',
  fields: {
    job_id: str, session_id: str, machine_id: str, worker_id: str, service_type: str, connector_id: str,
    event_type: str, trace_id: str, span_id: str, dataset: str, source: str, model: str,
    duration_ms: nonNegNum,
    progress: { type: 'number', min: 0, max: 100 },
    step: nonNegInt,
    total_steps: nonNegInt,
    input_size: nonNegInt,
    output_size: nonNegInt,
    attempt: nonNegInt,
    max_retries: nonNegInt,
    retryable: { type: 'boolean' },
    queue_wait_ms: nonNegNum,
    queue_position: nonNegInt,
    status_code: { type: 'integer', min: 100, max: 599 },
    timeout_ms: nonNegNum,
  },
  aliases: {
    totalSteps: 'total_steps', inputSize: 'input_size', outputSize: 'output_size', maxRetries: 'max_retries',
    queueWaitMs: 'queue_wait_ms', queuePosition: 'queue_position', statusCode: 'status_code', timeoutMs: 'timeout_ms',
    'http.response.status_code': 'status_code',
  },
};

const comfyui: ConnectorSchema = {
  name: 'comfyui',
  fields: {
    prompt_id: str,
    client_id: str,
    websocket_message_type: str,
    queue_remaining: nonNegInt,
    // A string, as the original typed it: connectors report a node title or "12/20" as often as a number.
    execution_step: str,
    node_id: str,
    workflow_hash: str,
    model_name: str,
    vram_usage: nonNegNum,
  },
  aliases: {
    promptId: 'prompt_id', clientId: 'client_id', websocketMessageType: 'websocket_message_type',
    ws_message_type: 'websocket_message_type', queueRemaining: 'queue_remaining', executionStep: 'execution_step',
    nodeId: 'node_id', workflowHash: 'workflow_hash', modelName: 'model_name', vramUsage: 'vram_usage',
  },
};

const openai: ConnectorSchema = {
  name: 'openai',
  fields: {
    model: str,
    request_id: str,
    prompt_tokens: nonNegInt,
    completion_tokens: nonNegInt,
    total_tokens: nonNegInt,
    response_time_ms: nonNegNum,
    request_size_bytes: nonNegInt,
    response_size_bytes: nonNegInt,
  },
  aliases: {
    requestId: 'request_id', 'x-request-id': 'request_id', 'gen_ai.response.id': 'request_id',
    'gen_ai.response.model': 'model', 'gen_ai.request.model': 'model',
    promptTokens: 'prompt_tokens', input_tokens: 'prompt_tokens', 'gen_ai.usage.input_tokens': 'prompt_tokens',
    'gen_ai.usage.prompt_tokens': 'prompt_tokens',
    completionTokens: 'completion_tokens', output_tokens: 'completion_tokens',
    'gen_ai.usage.output_tokens': 'completion_tokens', 'gen_ai.usage.completion_tokens': 'completion_tokens',
    totalTokens: 'total_tokens', responseTimeMs: 'response_time_ms',
    requestSizeBytes: 'request_size_bytes', responseSizeBytes: 'response_size_bytes',
  },
};

const a1111: ConnectorSchema = {
  name: 'a1111',
  fields: {
    sampler: str,
    steps: posInt,
    cfg_scale: nonNegNum,
    seed: { type: 'integer', min: -1 }, // -1 = random, as A1111's API takes it
    width: posInt,
    height: posInt,
    batch_size: posInt,
    model_checkpoint: str,
    vae: str,
  },
  aliases: {
    sampler_name: 'sampler', samplerName: 'sampler', sampler_index: 'sampler',
    cfgScale: 'cfg_scale', batchSize: 'batch_size',
    sd_model_checkpoint: 'model_checkpoint', modelCheckpoint: 'model_checkpoint', sd_vae: 'vae',
  },
};

const simulation: ConnectorSchema = {
  name: 'simulation',
  fields: {
    simulation_type: str,
    iteration: nonNegInt,
    total_iterations: nonNegInt,
    convergence: { type: 'number' },
    parameters: { type: 'object' },
  },
  aliases: {
    simulationType: 'simulation_type', totalIterations: 'total_iterations', params: 'parameters',
  },
};

const rest: ConnectorSchema = {
  name: 'rest',
  fields: {
    http_method: { type: 'string', upper: true },
    endpoint: str,
    status_code: { type: 'integer', min: 100, max: 599 },
    retry_count: nonNegInt,
    timeout_ms: nonNegNum,
  },
  aliases: {
    httpMethod: 'http_method', method: 'http_method', 'http.request.method': 'http_method', 'http.method': 'http_method',
    url: 'endpoint', 'url.full': 'endpoint', 'http.url': 'endpoint',
    'http.status_code': 'status_code',
    retryCount: 'retry_count', retries: 'retry_count', timeout: 'timeout_ms',
  },
};

export const SCHEMAS: Readonly<Record<SchemaName, ConnectorSchema>> = { comfyui, openai, a1111, simulation, rest };

/**
 * The schema a service_type uses: `openai-text`, `openai-image` → openai;
 * `automatic1111`, `a1111-sdxl` → a1111; anything unknown → rest.
 */
export function schemaNameFor(serviceType: string | undefined): SchemaName {
  const t = (serviceType ?? '').toLowerCase();
  if (t.startsWith('comfy')) return 'comfyui';
  if (t.startsWith('openai')) return 'openai';
  if (t.startsWith('a1111') || t.startsWith('automatic1111') || t === 'sd-webui' || t === 'sdwebui') return 'a1111';
  if (t.startsWith('simulation') || t === 'sim') return 'simulation';
  return 'rest';
}

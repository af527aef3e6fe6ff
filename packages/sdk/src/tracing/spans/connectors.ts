/**
 * Connector calls as spans, one kind per connector:
 *
 * | kind       | span                          | span kind | attributes |
 * |------------|-------------------------------|-----------|------------|
 * | comfyui    | `comfyui workflow`            | CLIENT    | workflow_hash, prompt_id, client_id, model_name, node_count, queue_remaining, vram_usage, output_size, server.* |
 * |  └ node    | `comfyui node {class_type}`   | INTERNAL  | node_id, node_type, workflow_hash, prompt_id, vram_usage, cached, step, total_steps, output_size |
 * | openai     | `{operation} {model}`         | CLIENT    | gen_ai.operation.name, gen_ai.provider.name (+ gen_ai.system), gen_ai.request.*, gen_ai.response.*, gen_ai.usage.*, server.* |
 * | a1111      | `a1111 {operation}`           | CLIENT    | sampler, steps, cfg_scale, seed, width, height, batch_size, model_checkpoint, vae, server.* |
 * | rest       | `{method}`                    | CLIENT    | the HTTP client conventions (http.ts) |
 * | simulation | `simulation {simulation_type}`| INTERNAL  | simulation_type, total_iterations, iteration, convergence |
 *
 * Every connector span also carries the job's fields (`job_id`,
 * `service_type`, `model`, `attempt`) from the job span it runs in (or from
 * opts.job), `model` and `connector_id` when given. Result attributes are
 * set after the call through the callback's `set` (tokens, status code…).
 */
import { context as contextApi, createContextKey, SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { fillServer, fillHttp, runHttp, startHttpSpan, type HttpAttrs } from './http.js';
import { fillJob, jobOf, readJob, type JobInfo } from './job.js';
import { defaultTracer, runInSpan, setWith, type SetAttrs, type SpanCallback, type TraceOptions } from './run.js';
import {
  ATTR_A1111_BATCH_SIZE, ATTR_A1111_CFG_SCALE, ATTR_A1111_CHECKPOINT, ATTR_A1111_HEIGHT, ATTR_A1111_SAMPLER, ATTR_A1111_SEED,
  ATTR_A1111_STEPS, ATTR_A1111_VAE, ATTR_A1111_WIDTH, ATTR_COMFY_CACHED, ATTR_COMFY_CLIENT_ID, ATTR_COMFY_MODEL_NAME,
  ATTR_COMFY_NODE_COUNT, ATTR_COMFY_NODE_ID, ATTR_COMFY_NODE_TYPE, ATTR_COMFY_PROMPT_ID, ATTR_COMFY_QUEUE_REMAINING,
  ATTR_COMFY_VRAM_USAGE, ATTR_COMFY_WORKFLOW_HASH, ATTR_CONNECTOR_ID, ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS, ATTR_GEN_AI_REQUEST_MODEL, ATTR_GEN_AI_REQUEST_SEED, ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P, ATTR_GEN_AI_RESPONSE_FINISH_REASONS, ATTR_GEN_AI_RESPONSE_ID, ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM, ATTR_GEN_AI_USAGE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, ATTR_MODEL, ATTR_OUTPUT_SIZE,
  ATTR_SIM_CONVERGENCE, ATTR_SIM_ITERATION, ATTR_SIM_TOTAL_ITERATIONS, ATTR_SIM_TYPE, ATTR_STEP, ATTR_TOTAL_STEPS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT, GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
} from './semconv.js';

/** Fields every connector kind takes. */
export interface ConnectorCommonAttrs {
  /** The canonical `model` (openai: also gen_ai.request.model). */
  model?: string;
  connectorId?: string;
  /** The service's URL: server.address / server.port (rest: url.full too). */
  url?: string;
  serverAddress?: string;
  serverPort?: number;
}

export interface ComfyUIAttrs extends ConnectorCommonAttrs {
  workflowHash?: string;
  /** Known after POST /prompt: set it then, the node spans pick it up. */
  promptId?: string;
  clientId?: string;
  modelName?: string;
  nodeCount?: number;
  queueRemaining?: number;
  /** MB. */
  vramUsage?: number;
  outputSize?: number;
}

export interface ComfyNodeAttrs {
  /** MB. */
  vramUsage?: number;
  /** ComfyUI reused the node's cached output. */
  cached?: boolean;
  step?: number;
  totalSteps?: number;
  outputSize?: number;
}

export interface OpenAIAttrs extends ConnectorCommonAttrs {
  /** gen_ai.operation.name; default 'chat' (embeddings, text_completion, generate_content…). */
  operation?: string;
  /** gen_ai.provider.name (and gen_ai.system); default 'openai'. */
  provider?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  inputTokens?: number;
  outputTokens?: number;
}

export interface A1111Attrs extends ConnectorCommonAttrs {
  /** txt2img (default) | img2img. */
  operation?: string;
  sampler?: string;
  steps?: number;
  cfgScale?: number;
  seed?: number;
  width?: number;
  height?: number;
  /** "WIDTHxHEIGHT", e.g. "1024x768": width and height. */
  size?: string;
  batchSize?: number;
  checkpoint?: string;
  vae?: string;
}

export interface RestAttrs extends ConnectorCommonAttrs, HttpAttrs {}

export interface SimulationAttrs extends ConnectorCommonAttrs {
  simulationType?: string;
  /** total_iterations. */
  iterations?: number;
  iteration?: number;
  convergence?: number;
}

/** The attributes of each connector kind (at the start, and through `set` after the call). */
export interface ConnectorAttrsByKind {
  comfyui: ComfyUIAttrs;
  openai: OpenAIAttrs;
  a1111: A1111Attrs;
  rest: RestAttrs;
  simulation: SimulationAttrs;
}

export type ConnectorKind = keyof ConnectorAttrsByKind;

export interface ConnectorTraceOptions extends TraceOptions {
  /** The job, for its fields when the call does not run inside traceProcess (which provides them). */
  job?: object;
}

// ── fills ────────────────────────────────────────────────────────────────────

function fillCommon(out: Attributes, a: ConnectorCommonAttrs): void {
  if (a.model !== undefined) out[ATTR_MODEL] = a.model;
  if (a.connectorId !== undefined) out[ATTR_CONNECTOR_ID] = a.connectorId;
  if (a.url !== undefined || a.serverAddress !== undefined || a.serverPort !== undefined) fillServer(out, a, false);
}

function fillComfy(out: Attributes, a: ComfyUIAttrs): void {
  fillCommon(out, a);
  if (a.workflowHash !== undefined) out[ATTR_COMFY_WORKFLOW_HASH] = a.workflowHash;
  if (a.promptId !== undefined) out[ATTR_COMFY_PROMPT_ID] = a.promptId;
  if (a.clientId !== undefined) out[ATTR_COMFY_CLIENT_ID] = a.clientId;
  if (a.modelName !== undefined) out[ATTR_COMFY_MODEL_NAME] = a.modelName;
  if (a.nodeCount !== undefined) out[ATTR_COMFY_NODE_COUNT] = a.nodeCount;
  if (a.queueRemaining !== undefined) out[ATTR_COMFY_QUEUE_REMAINING] = a.queueRemaining;
  if (a.vramUsage !== undefined) out[ATTR_COMFY_VRAM_USAGE] = a.vramUsage;
  if (a.outputSize !== undefined) out[ATTR_OUTPUT_SIZE] = a.outputSize;
}

function fillComfyNode(out: Attributes, a: ComfyNodeAttrs): void {
  if (a.vramUsage !== undefined) out[ATTR_COMFY_VRAM_USAGE] = a.vramUsage;
  if (a.cached !== undefined) out[ATTR_COMFY_CACHED] = a.cached;
  if (a.step !== undefined) out[ATTR_STEP] = a.step;
  if (a.totalSteps !== undefined) out[ATTR_TOTAL_STEPS] = a.totalSteps;
  if (a.outputSize !== undefined) out[ATTR_OUTPUT_SIZE] = a.outputSize;
}

function fillOpenAI(out: Attributes, a: OpenAIAttrs): void {
  fillCommon(out, a);
  if (a.model !== undefined) out[ATTR_GEN_AI_REQUEST_MODEL] = a.model;
  if (a.maxTokens !== undefined) out[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = a.maxTokens;
  if (a.temperature !== undefined) out[ATTR_GEN_AI_REQUEST_TEMPERATURE] = a.temperature;
  if (a.topP !== undefined) out[ATTR_GEN_AI_REQUEST_TOP_P] = a.topP;
  if (a.seed !== undefined) out[ATTR_GEN_AI_REQUEST_SEED] = a.seed;
  if (a.responseModel !== undefined) out[ATTR_GEN_AI_RESPONSE_MODEL] = a.responseModel;
  if (a.responseId !== undefined) out[ATTR_GEN_AI_RESPONSE_ID] = a.responseId;
  if (a.finishReasons !== undefined) out[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = a.finishReasons;
  if (a.inputTokens !== undefined) out[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = a.inputTokens;
  if (a.outputTokens !== undefined) out[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = a.outputTokens;
}

/** At the start only: operation and provider (they name the span and do not change). */
function fillOpenAIStart(out: Attributes, a: OpenAIAttrs): void {
  out[ATTR_GEN_AI_OPERATION_NAME] = a.operation ?? GEN_AI_OPERATION_NAME_VALUE_CHAT;
  const provider = a.provider ?? GEN_AI_PROVIDER_NAME_VALUE_OPENAI;
  out[ATTR_GEN_AI_PROVIDER_NAME] = provider;
  out[ATTR_GEN_AI_SYSTEM] = provider;
  fillOpenAI(out, a);
}

const SIZE_RE = /^\s*(\d{1,6})\s*[x×*]\s*(\d{1,6})\s*$/i;

function fillA1111(out: Attributes, a: A1111Attrs): void {
  fillCommon(out, a);
  if (a.sampler !== undefined) out[ATTR_A1111_SAMPLER] = a.sampler;
  if (a.steps !== undefined) out[ATTR_A1111_STEPS] = a.steps;
  if (a.cfgScale !== undefined) out[ATTR_A1111_CFG_SCALE] = a.cfgScale;
  if (a.seed !== undefined) out[ATTR_A1111_SEED] = a.seed;
  if (a.size !== undefined) {
    const m = SIZE_RE.exec(a.size);
    if (m !== null) {
      out[ATTR_A1111_WIDTH] = Number(m[1]);
      out[ATTR_A1111_HEIGHT] = Number(m[2]);
    }
  }
  if (a.width !== undefined) out[ATTR_A1111_WIDTH] = a.width;
  if (a.height !== undefined) out[ATTR_A1111_HEIGHT] = a.height;
  if (a.batchSize !== undefined) out[ATTR_A1111_BATCH_SIZE] = a.batchSize;
  if (a.checkpoint !== undefined) out[ATTR_A1111_CHECKPOINT] = a.checkpoint;
  if (a.vae !== undefined) out[ATTR_A1111_VAE] = a.vae;
}

function fillRest(out: Attributes, a: RestAttrs): void {
  if (a.model !== undefined) out[ATTR_MODEL] = a.model;
  if (a.connectorId !== undefined) out[ATTR_CONNECTOR_ID] = a.connectorId;
  fillHttp(out, a);
}

function fillSimulation(out: Attributes, a: SimulationAttrs): void {
  fillCommon(out, a);
  if (a.simulationType !== undefined) out[ATTR_SIM_TYPE] = a.simulationType;
  if (a.iterations !== undefined) out[ATTR_SIM_TOTAL_ITERATIONS] = a.iterations;
  if (a.iteration !== undefined) out[ATTR_SIM_ITERATION] = a.iteration;
  if (a.convergence !== undefined) out[ATTR_SIM_CONVERGENCE] = a.convergence;
}

// ── names ────────────────────────────────────────────────────────────────────

const NAME_CACHE_MAX = 256;

/** `prefix + suffix`, built once per suffix (span names come from a handful of models, operations, node types). */
function nameCache(prefix: string): (suffix: string | undefined, bare: string) => string {
  const cache = new Map<string, string>();
  return (suffix, bare) => {
    if (suffix === undefined || suffix === '') return bare;
    let n = cache.get(suffix);
    if (n === undefined) {
      n = prefix + suffix;
      if (cache.size < NAME_CACHE_MAX) cache.set(suffix, n);
    }
    return n;
  };
}

const COMFY_WORKFLOW_NAME = 'comfyui workflow';
const COMFY_NODE = 'comfyui node';
const comfyNodeName = nameCache(`${COMFY_NODE} `);
const chatName = nameCache(`${GEN_AI_OPERATION_NAME_VALUE_CHAT} `);
const a1111Name = nameCache('a1111 ');
const simulationName = nameCache('simulation ');

function openaiName(a: OpenAIAttrs): string {
  const op = a.operation ?? GEN_AI_OPERATION_NAME_VALUE_CHAT;
  if (op === GEN_AI_OPERATION_NAME_VALUE_CHAT) return chatName(a.model, op);
  return a.model === undefined || a.model === '' ? op : `${op} ${a.model}`;
}

// ── context of a ComfyUI workflow, for its node spans ─────────────────────────

interface ComfyState {
  workflowHash?: string;
  promptId?: string;
}

const COMFY_CONTEXT_KEY = createContextKey('jobscope.comfyui.workflow');

// ── the helpers ──────────────────────────────────────────────────────────────

function jobFor(ctx: Context, opts: ConnectorTraceOptions | undefined): JobInfo | undefined {
  return jobOf(ctx) ?? (opts?.job !== undefined ? readJob(opts.job) : undefined);
}

/**
 * Wraps one connector call in a span of its kind (see the table above), a
 * child of the active context (or opts.parent). `fn(span, set)` runs inside
 * it; `set(attrs)` adds the kind's attributes after the call (tokens, a
 * status code, a prompt id…). A throw sets status ERROR, records the
 * exception and error.type, and is rethrown; the span ends once.
 *
 *   const text = await traceConnectorCall('openai', async (span, set) => {
 *     const r = await client.chat.completions.create({ model, messages });
 *     set({ responseModel: r.model, responseId: r.id, inputTokens: r.usage?.prompt_tokens, outputTokens: r.usage?.completion_tokens });
 *     return r.choices[0].message.content;
 *   }, { model: 'gpt-4o-mini', url: 'https://api.openai.com/v1' });
 */
export function traceConnectorCall<K extends ConnectorKind, T>(
  kind: K,
  fn: SpanCallback<T, ConnectorAttrsByKind[K]>,
  attrs?: ConnectorAttrsByKind[K],
  opts?: ConnectorTraceOptions,
): Promise<T> {
  const parent = opts?.parent ?? contextApi.active();
  const tracer = opts?.tracer ?? defaultTracer();
  const out: Attributes = {};
  fillJob(out, jobFor(parent, opts));
  switch (kind as ConnectorKind) {
    case 'rest': {
      const a = (attrs ?? {}) as RestAttrs;
      if (a.model !== undefined) out[ATTR_MODEL] = a.model;
      if (a.connectorId !== undefined) out[ATTR_CONNECTOR_ID] = a.connectorId;
      const span = startHttpSpan(tracer, parent, a, 'GET', out);
      return runHttp(span, trace.setSpan(parent, span), fn as SpanCallback<T, RestAttrs>, fillRest);
    }
    case 'openai': {
      const a = (attrs ?? {}) as OpenAIAttrs;
      fillOpenAIStart(out, a);
      const span = tracer.startSpan(openaiName(a), { kind: SpanKind.CLIENT, attributes: out }, parent);
      return runInSpan(span, trace.setSpan(parent, span), fn as SpanCallback<T, OpenAIAttrs>, (x) => setWith(span, fillOpenAI, x));
    }
    case 'comfyui': {
      const a = (attrs ?? {}) as ComfyUIAttrs;
      fillComfy(out, a);
      const span = tracer.startSpan(COMFY_WORKFLOW_NAME, { kind: SpanKind.CLIENT, attributes: out }, parent);
      const state: ComfyState = { workflowHash: a.workflowHash, promptId: a.promptId };
      const ctx = trace.setSpan(parent, span).setValue(COMFY_CONTEXT_KEY, state);
      const set: SetAttrs<ComfyUIAttrs> = (x) => {
        if (x === null || x === undefined) return;
        if (x.workflowHash !== undefined) state.workflowHash = x.workflowHash;
        if (x.promptId !== undefined) state.promptId = x.promptId;
        setWith(span, fillComfy, x);
      };
      return runInSpan(span, ctx, fn as SpanCallback<T, ComfyUIAttrs>, set);
    }
    case 'a1111': {
      const a = (attrs ?? {}) as A1111Attrs;
      fillA1111(out, a);
      const span = tracer.startSpan(a1111Name(a.operation, 'a1111 txt2img'), { kind: SpanKind.CLIENT, attributes: out }, parent);
      return runInSpan(span, trace.setSpan(parent, span), fn as SpanCallback<T, A1111Attrs>, (x) => setWith(span, fillA1111, x));
    }
    case 'simulation': {
      const a = (attrs ?? {}) as SimulationAttrs;
      fillSimulation(out, a);
      const span = tracer.startSpan(simulationName(a.simulationType, 'simulation'), { kind: SpanKind.INTERNAL, attributes: out }, parent);
      return runInSpan(span, trace.setSpan(parent, span), fn as SpanCallback<T, SimulationAttrs>, (x) => setWith(span, fillSimulation, x));
    }
    default:
      return Promise.reject(new TypeError(`traceConnectorCall: unknown connector kind ${String(kind)}`));
  }
}

export interface ComfyNodeOptions extends TraceOptions {
  /** Attributes at the start (vram_usage, cached…). */
  attrs?: ComfyNodeAttrs;
}

function startNode(nodeId: string, classType: string, opts: ComfyNodeOptions | undefined, parent: Context): Span {
  const out: Attributes = {};
  fillJob(out, jobOf(parent));
  out[ATTR_COMFY_NODE_ID] = nodeId;
  if (classType !== '') out[ATTR_COMFY_NODE_TYPE] = classType;
  const wf = parent.getValue(COMFY_CONTEXT_KEY) as ComfyState | undefined;
  if (wf !== undefined) {
    if (wf.workflowHash !== undefined) out[ATTR_COMFY_WORKFLOW_HASH] = wf.workflowHash;
    if (wf.promptId !== undefined) out[ATTR_COMFY_PROMPT_ID] = wf.promptId;
  }
  if (opts?.attrs !== undefined) fillComfyNode(out, opts.attrs);
  return (opts?.tracer ?? defaultTracer()).startSpan(comfyNodeName(classType, COMFY_NODE), { kind: SpanKind.INTERNAL, attributes: out }, parent);
}

/**
 * One ComfyUI node's execution: an INTERNAL span `comfyui node {class_type}`
 * (node_id, node_type, and the workflow's workflow_hash / prompt_id when run
 * inside traceConnectorCall('comfyui')), a child of the active context.
 * `set({ vramUsage, cached, step, totalSteps, outputSize })` after the fact.
 */
export function traceComfyNode<T>(nodeId: string, classType: string, fn: SpanCallback<T, ComfyNodeAttrs>, opts?: ComfyNodeOptions): Promise<T> {
  const parent = opts?.parent ?? contextApi.active();
  const span = startNode(nodeId, classType, opts, parent);
  return runInSpan(span, trace.setSpan(parent, span), fn, (x) => setWith(span, fillComfyNode, x));
}

/**
 * The same span as traceComfyNode, started and returned for connectors
 * driven by ComfyUI's websocket events (`executing` node A … `executing`
 * node B ends A): the caller ends it (span.end()) and, on a failure, calls
 * failSpan(span, err) first. Not made active.
 */
export function startComfyNode(nodeId: string, classType: string, opts?: ComfyNodeOptions): Span {
  return startNode(nodeId, classType, opts, opts?.parent ?? contextApi.active());
}

/** Node attributes on a span from startComfyNode. */
export function setComfyNode(span: Span, attrs: ComfyNodeAttrs): void {
  setWith(span, fillComfyNode, attrs);
}

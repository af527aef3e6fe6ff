/**
 * Attribute keys of the span helpers, computed once.
 *
 * Stable OpenTelemetry semantic conventions come from
 * @opentelemetry/semantic-conventions. Incubating ones (messaging.*,
 * gen_ai.*) are copied here, as that package's README recommends for
 * runtime code ("the incubating entry-point may include breaking changes in
 * minor versions … copy relevant definitions into their own code base");
 * semconv.test.ts checks every copy against the installed package.
 */
import {
  ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_REQUEST_METHOD_ORIGINAL, ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL, ERROR_TYPE_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';

export {
  ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_REQUEST_METHOD_ORIGINAL, ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL, ERROR_TYPE_VALUE_OTHER,
};

// Incubating (copied from @opentelemetry/semantic-conventions/incubating 1.45).
export const ATTR_MESSAGING_SYSTEM = 'messaging.system' as const;
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name' as const;
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type' as const;
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name' as const;
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id' as const;
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send' as const;
export const MESSAGING_OPERATION_TYPE_VALUE_RECEIVE = 'receive' as const;
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process' as const;

export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name' as const;
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name' as const;
/** Deprecated by gen_ai.provider.name; still written for back ends that read the older name. */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system' as const;
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model' as const;
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens' as const;
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature' as const;
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p' as const;
export const ATTR_GEN_AI_REQUEST_SEED = 'gen_ai.request.seed' as const;
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model' as const;
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id' as const;
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons' as const;
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens' as const;
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens' as const;
export const GEN_AI_OPERATION_NAME_VALUE_CHAT = 'chat' as const;
export const GEN_AI_PROVIDER_NAME_VALUE_OPENAI = 'openai' as const;

// Jobscope's canonical job fields (packages/core canonical names; the server's
// otel_traces.JobId column reads SpanAttributes['job_id']).
export const ATTR_JOB_ID = 'job_id' as const;
export const ATTR_SERVICE_TYPE = 'service_type' as const;
export const ATTR_MODEL = 'model' as const;
export const ATTR_ATTEMPT = 'attempt' as const;
export const ATTR_QUEUE_WAIT_MS = 'queue_wait_ms' as const;
export const ATTR_CONNECTOR_ID = 'connector_id' as const;
/** The error class of packages/sdk classify (memory, timeout, network, rate_limit, model, validation, unknown). */
export const ATTR_ERROR_CLASS = 'error_type' as const;

// Connector fields: the names of the connector schemas (packages/core/src/schemas).
export const ATTR_COMFY_WORKFLOW_HASH = 'workflow_hash' as const;
export const ATTR_COMFY_PROMPT_ID = 'prompt_id' as const;
export const ATTR_COMFY_CLIENT_ID = 'client_id' as const;
export const ATTR_COMFY_MODEL_NAME = 'model_name' as const;
export const ATTR_COMFY_NODE_ID = 'node_id' as const;
export const ATTR_COMFY_NODE_TYPE = 'node_type' as const;
export const ATTR_COMFY_NODE_COUNT = 'node_count' as const;
export const ATTR_COMFY_VRAM_USAGE = 'vram_usage' as const;
export const ATTR_COMFY_QUEUE_REMAINING = 'queue_remaining' as const;
export const ATTR_COMFY_CACHED = 'cached' as const;
export const ATTR_STEP = 'step' as const;
export const ATTR_TOTAL_STEPS = 'total_steps' as const;
export const ATTR_OUTPUT_SIZE = 'output_size' as const;
export const ATTR_A1111_SAMPLER = 'sampler' as const;
export const ATTR_A1111_STEPS = 'steps' as const;
export const ATTR_A1111_CFG_SCALE = 'cfg_scale' as const;
export const ATTR_A1111_SEED = 'seed' as const;
export const ATTR_A1111_WIDTH = 'width' as const;
export const ATTR_A1111_HEIGHT = 'height' as const;
export const ATTR_A1111_BATCH_SIZE = 'batch_size' as const;
export const ATTR_A1111_CHECKPOINT = 'model_checkpoint' as const;
export const ATTR_A1111_VAE = 'vae' as const;
export const ATTR_SIM_TYPE = 'simulation_type' as const;
export const ATTR_SIM_ITERATION = 'iteration' as const;
export const ATTR_SIM_TOTAL_ITERATIONS = 'total_iterations' as const;
export const ATTR_SIM_CONVERGENCE = 'convergence' as const;

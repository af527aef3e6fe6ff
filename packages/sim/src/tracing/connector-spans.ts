/**
 * The span of a simulated connector call: which of the SDK's connector
 * kinds a service type is, the attributes known before the call, and those
 * read from its result afterwards (tokens, status codes, output sizes) —
 * so the connectors themselves stay free of tracing code (except ComfyUI's
 * per-node spans, through ConnectorContext.trace).
 */
import type { Tracer } from '@opentelemetry/api';
import { failSpan, traceComfyNode, traceConnectorCall } from '@jobscope/sdk';
import type { ConnectorResult, ConnectorTrace, SimulatedConnector } from '../connectors/index.js';
import type { JobRecord } from '../queue/types.js';

type Kind = 'comfyui' | 'openai' | 'a1111' | 'rest' | 'simulation';

export function connectorKind(serviceType: string): Kind {
  if (serviceType === 'comfyui' || serviceType === 'a1111' || serviceType === 'simulation') return serviceType;
  if (serviceType.startsWith('openai')) return 'openai';
  return 'rest';
}

const SERVICE_URL: Readonly<Record<string, string>> = {
  comfyui: 'http://127.0.0.1:8188', a1111: 'http://127.0.0.1:7860', openai: 'https://api.openai.com/v1',
};

const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});
const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function startAttrs(kind: Kind, job: JobRecord, connector: SimulatedConnector): Record<string, unknown> {
  const model = job.model || connector.models[0] || '';
  const common = { model, connectorId: connector.connectorId };
  switch (kind) {
    case 'openai': return { ...common, url: SERVICE_URL.openai, operation: job.service_type === 'openai-image' ? 'generate_content' : 'chat' };
    case 'comfyui': return { ...common, url: SERVICE_URL.comfyui, modelName: model };
    case 'a1111': return { ...common, url: SERVICE_URL.a1111, operation: 'txt2img' };
    case 'simulation': return { ...common };
    default: return { ...common, method: 'POST', url: str(job.payload.endpoint) ?? `https://${job.service_type}.internal/v1/predictions` };
  }
}

/** Result attributes, in the SDK helpers' names. */
export function resultAttrs(kind: Kind, r: ConnectorResult): Record<string, unknown> {
  if (!r.ok) {
    const e = r.error as Error & { status?: unknown; response?: { status?: unknown } };
    const status = n(e.status) ?? n(e.response?.status);
    return kind === 'rest' && status !== undefined ? { statusCode: status } : {};
  }
  const o = r.output;
  switch (kind) {
    case 'openai': {
      const usage = obj(o.usage);
      return { responseModel: str(o.model), responseId: str(o.request_id), inputTokens: n(usage.prompt_tokens), outputTokens: n(usage.completion_tokens), ...(str(o.finish_reason) ? { finishReasons: [o.finish_reason as string] } : {}) };
    }
    case 'comfyui': return { promptId: str(o.prompt_id), outputSize: n(o.output_size) };
    case 'a1111': {
      const p = obj(o.parameters);
      return { sampler: str(p.sampler_name ?? p.sampler), steps: n(p.steps), cfgScale: n(p.cfg_scale), seed: n(p.seed), width: n(p.width), height: n(p.height), batchSize: n(p.batch_size), checkpoint: str(obj(o.info).sd_model_name), vae: str(obj(o.info).sd_vae_name) };
    }
    case 'simulation': return { simulationType: str(o.simulation_type), iterations: n(o.iterations), iteration: n(o.iterations), convergence: n(o.residual) };
    default: return { statusCode: 200, resendCount: n(o.retries) || undefined };
  }
}

const defined = (a: Record<string, unknown>): Record<string, unknown> => {
  for (const k of Object.keys(a)) if (a[k] === undefined) delete a[k];
  return a;
};

/** Runs the connector inside its call's span; a failed result marks the span failed (connectors return errors, they do not throw). */
export function runConnectorTraced(
  tracer: Tracer, job: JobRecord, connector: SimulatedConnector, run: (trace: ConnectorTrace) => Promise<ConnectorResult>,
): Promise<ConnectorResult> {
  const kind = connectorKind(job.service_type);
  const trace: ConnectorTrace = {
    node: (nodeId, classType, fn, attrs) => traceComfyNode(nodeId, classType, () => fn(), { tracer, ...(attrs ? { attrs } : {}) }),
  };
  return traceConnectorCall(kind, async (span, set) => {
    const r = await run(trace);
    (set as (a: Record<string, unknown>) => void)(defined(resultAttrs(kind, r)));
    if (!r.ok) failSpan(span, r.error);
    return r;
  }, defined(startAttrs(kind, job, connector)) as never, { tracer });
}


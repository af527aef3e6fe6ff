/**
 * Span helpers for each step of a job (tracing, track 3): submit, claim,
 * process (one span per attempt), connector calls, ComfyUI nodes, webhooks,
 * following OpenTelemetry's semantic conventions. They work with any
 * OpenTelemetry Tracer (opts.tracer; default trace.getTracer('@jobscope/sdk')).
 * See docs/traces.md.
 */
export { traceSubmit, traceClaim, traceProcess, SEND_SPAN_KIND, RECEIVE_SPAN_KIND, PROCESS_SPAN_KIND, type MessagingOptions, type ProcessOptions } from './messaging.js';
export {
  traceConnectorCall, traceComfyNode, startComfyNode, setComfyNode,
  type ConnectorKind, type ConnectorAttrsByKind, type ConnectorCommonAttrs, type ConnectorTraceOptions, type ComfyNodeOptions,
  type ComfyUIAttrs, type ComfyNodeAttrs, type OpenAIAttrs, type A1111Attrs, type RestAttrs, type SimulationAttrs,
} from './connectors.js';
export { traceWebhook, type HttpAttrs, type WebhookTraceOptions } from './http.js';
export { failSpan, errorTypeOf, TRACER_NAME, type SpanCallback, type SetAttrs, type TraceOptions } from './run.js';
export { JOB_CONTEXT_KEY, type JobFields, type JobInfo } from './job.js';

export * from './contract.js';
export * from './logger/index.js';
export { COMMON, SCHEMAS, schemaNameFor, validate, type NormalizedFields, type ConnectorSchema, type FieldSpec, type FieldType, type SchemaName } from '@jobscope/core/schemas';
export * from './classify/index.js';
export * from './export/index.js';
// The transports are separate entry points (@jobscope/sdk/winston, @jobscope/sdk/pino)
// so a worker that uses neither does not load them.
export { pinoTarget } from './transports/target.js';
export type { JobscopePinoOptions } from './transports/pino.js';
export type { JobscopeWinstonOptions, WinstonTransportStats } from './transports/winston.js';
// Tracing (track 3). JobCarrier, AttemptOptions and DEFAULT_QUEUE_NAME/DEFAULT_MESSAGING_SYSTEM of the contract go with the propagation/spans exports.
export { initTracing, JobscopeSpanExporter, type JobscopeTracing, type TracingOptions, type TracingExportOptions } from './tracing/init/index.js'; // tracing: core
export { MemoryDecisionChannel, JobAwareSampler, JobSamplingProcessor, headSampled, type SamplingOptions, type SpanSink } from './tracing/sampling/index.js'; // tracing: core
export type { Tracing, TracingStats, TracingStatsDetail, TracingSamplingOptions, DecisionChannel, TraceDecision, JobOutcome } from './tracing/contract.js'; // tracing: core
// tracing: spans — trace context on jobs (propagation/) and span helpers per job step (spans/); see docs/traces.md.
export { DEFAULT_QUEUE_NAME, DEFAULT_MESSAGING_SYSTEM, type JobCarrier, type AttemptOptions } from './tracing/contract.js'; // tracing: spans
export {
  injectJobContext, extractJobContext, attemptLinkFrom, recordAttempt, previousAttemptOf, formatTraceparent, parseTraceparent,
  LAST_ATTEMPT_FIELD, PREVIOUS_ATTEMPT_LINK_ATTRIBUTES,
} from './tracing/propagation/index.js'; // tracing: spans
export {
  traceSubmit, traceClaim, traceProcess, traceConnectorCall, traceComfyNode, startComfyNode, setComfyNode, traceWebhook, failSpan, errorTypeOf,
  SEND_SPAN_KIND, RECEIVE_SPAN_KIND, PROCESS_SPAN_KIND, JOB_CONTEXT_KEY, TRACER_NAME,
  type MessagingOptions, type ProcessOptions, type ConnectorKind, type ConnectorAttrsByKind, type ConnectorCommonAttrs, type ConnectorTraceOptions,
  type ComfyNodeOptions, type ComfyUIAttrs, type ComfyNodeAttrs, type OpenAIAttrs, type A1111Attrs, type RestAttrs, type SimulationAttrs,
  type HttpAttrs, type WebhookTraceOptions, type SpanCallback, type SetAttrs, type TraceOptions, type JobFields, type JobInfo,
} from './tracing/spans/index.js'; // tracing: spans

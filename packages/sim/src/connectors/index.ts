export type { ConnectorContext, ConnectorJob, ConnectorResult, ConnectorTrace, SimulatedConnector } from './types.js';
export { SERVICE_TYPES, connectorFor } from './registry.js';
export { FAULT_NAMES, FaultSet, NO_FAULTS, type ActivateOptions, type ActiveFaults, type FaultActivation, type FaultName, type FaultScope } from './faults.js';
export {
  DEFAULT_DURATION, MODEL_DURATIONS, SLOW_MEDIAN_FACTOR, SLOW_SIGMA_ADD, baseProfile, durationProfile, p95Of, sampleDurationMs, type DurationProfile,
} from './durations.js';
export {
  GPU_OOM_FAILURE_RATE, NEW_ERROR_FAILURE_RATE, NEW_ERROR_SIGNATURES, RATE_LIMIT_FAILURE_RATE, type FailureKind, type FailureProfile,
} from './failures.js';
export { ComfyUIConnector, COMFYUI_MODELS } from './comfyui.js';
export { OpenAIImageConnector, OpenAITextConnector } from './openai.js';
export { A1111Connector, A1111_MODELS } from './a1111.js';
export { SimulationConnector, SIMULATION_MODELS } from './simulation.js';
export { RestConnector, REST_MODELS } from './rest.js';

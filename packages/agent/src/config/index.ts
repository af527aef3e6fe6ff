export type { AgentConfig, ExporterConfig, FilterRuleConfig, RedactPatternConfig } from './types.js';
export { defaultAgentConfig, DEFAULT_PORTS } from './defaults.js';
export { loadConfigFile, applyConfigDocument } from './file.js';
export { resolveAgentConfig, validateAgentConfig, AGENT_ENV, type AgentFlags } from './resolve.js';
export { parseBytes } from './units.js';

export { createAgent, type Agent, type AgentAddresses, type AgentStats } from './agent.js';
export * from './config/index.js';
export { AGENT_VERSION } from './version.js';

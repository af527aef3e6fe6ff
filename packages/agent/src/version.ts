/** The agent's version, reported in `jobscope.agent.version` on every resource. */
export const AGENT_VERSION = '0.1.0';

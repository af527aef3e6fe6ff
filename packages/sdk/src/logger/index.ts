export { ConnectorLogger, type JobLogData } from './connector-logger.js';
export { LoggerCore } from './core.js';
export type { LoggerStats, LogMeta } from './state.js';
export { LEVEL_NAMES, type LevelName, type LevelSetting } from './levels.js';
export { resolveIdentity, type ConnectorLoggerOptions, type ConnectorLogContext, type Identity } from './options.js';
export { StreamSink, defaultSink } from './stdout-sink.js';

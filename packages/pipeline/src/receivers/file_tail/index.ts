export { createFileTailReceiver, type FileTailReceiver, type FileTailStats } from './receiver.js';
export { DEFAULT_FILE_TAIL_CONFIG, resolveFileTailConfig, type FileTailConfig, type FileTailOptions } from './config.js';

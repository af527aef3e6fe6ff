export { createServer, type JobscopeServer } from './app.js';
export { defaultConfig, validateConfig, isLoopback, parseRetention, type ServerConfig } from './config.js';
export * from './store/index.js';
export { IngestWriter, type WriterStats } from './ingest/writer.js';

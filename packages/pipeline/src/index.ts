export * from './processors/normalize/index.js';
export * from './receivers/otlp_http/index.js';
export * from './buffer/index.js';

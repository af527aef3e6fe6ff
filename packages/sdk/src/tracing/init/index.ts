export { initTracing, type JobscopeTracing } from './init.js';
export type { TracingOptions, TracingExportOptions } from './options.js';
export { JobscopeSpanExporter } from './exporter.js';

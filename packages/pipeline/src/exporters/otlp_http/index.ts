export { createOtlpHttpExporter, type OtlpHttpExporter } from './exporter.js';
export {
  DEFAULT_OTLP_HTTP_EXPORTER_CONFIG, resolveOtlpHttpExporterConfig,
  type OtlpHttpExporterConfig, type OtlpHttpExporterOptions, type OtlpHttpExporterRetryConfig,
} from './config.js';
export type { OtlpHttpExporterStats, OtlpHttpExporterState } from './stats.js';

export { createCanonicalProcessor, type CanonicalProcessor, type CanonicalStats } from './processor.js';
export { DEFAULT_CANONICAL_CONFIG, validateCanonicalConfig, type CanonicalConfig } from './config.js';
export { renameAliases } from './aliases.js';
export { fillSeverity } from './severity.js';
export { normalizeWithSchema, SCHEMA_ERRORS_ATTR, type SchemaResult } from './schema.js';

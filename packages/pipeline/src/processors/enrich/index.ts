export { createEnrichProcessor, equivalentKeys, type EnrichProcessor, type EnrichStats } from './processor.js';
export { defaultEnrichConfig, resolveEnrichConfig, validateEnrichConfig, type EnrichConfig, type EnrichConfigInput } from './config.js';

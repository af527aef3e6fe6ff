export { createFilterProcessor, type FilterOptions, type FilterProcessor, type FilterStats } from './processor.js';
export {
  DEFAULT_FILTER_CONFIG, DEFAULT_SAMPLE_CONFIG, resolveFilterConfig, validateFilterConfig,
  type FilterCondition, type FilterConfig, type FilterConfigInput, type FilterRule, type SampleConfig,
} from './config.js';
export { fieldGetter, levelOf, severityOf, bodyText } from './fields.js';
export { fnv1a, keepByHash } from './sample.js';

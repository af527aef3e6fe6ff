export { normalizeLogs } from './logs.js';
export { normalizeSpans } from './spans.js';
export { normalizeMetrics, type MetricRows } from './metrics.js';
export { nowNs, type NormalizeContext } from './context.js';
export { flattenAttributes, anyValueToString, MAX_ATTRIBUTE_CHARS, MAX_BODY_CHARS, TRUNCATED_ATTR } from './attributes.js';

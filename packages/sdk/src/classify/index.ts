export { classifyError, retryable } from './classify.js';
export { RULES, type Rule } from './rules.js';

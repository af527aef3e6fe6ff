export { createRedactProcessor, type RedactProcessor, type RedactStats } from './processor.js';
export { DEFAULT_REDACT_CONFIG, DEFAULT_REDACT_KEYS, validateRedactConfig, type RedactConfig, type RedactPatternConfig } from './config.js';
export { defaultPatterns, compileUserPattern, type CompiledPattern } from './patterns.js';
export { Scrubber, KEY_COUNTER } from './scrub.js';

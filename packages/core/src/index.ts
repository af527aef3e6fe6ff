export * from './canonical.js';
export * from './severity.js';
export * from './errors.js';
export * from './rows.js';
export * from './text-utils.js';

export * from './contract.js';
export * from './logger/index.js';
export * from './schemas/index.js';
export * from './classify/index.js';
export * from './export/index.js';

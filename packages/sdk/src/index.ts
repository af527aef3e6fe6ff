export * from './contract.js';
export * from './logger/index.js';
export { COMMON, SCHEMAS, schemaNameFor, validate, type NormalizedFields, type ConnectorSchema, type FieldSpec, type FieldType, type SchemaName } from '@jobscope/core/schemas';
export * from './classify/index.js';
export * from './export/index.js';
// The transports are separate entry points (@jobscope/sdk/winston, @jobscope/sdk/pino)
// so a worker that uses neither does not load them.
export { pinoTarget } from './transports/target.js';
export type { JobscopePinoOptions } from './transports/pino.js';
export type { JobscopeWinstonOptions, WinstonTransportStats } from './transports/winston.js';

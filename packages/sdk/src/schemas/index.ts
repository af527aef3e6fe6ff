export type { ConnectorSchema, FieldSpec, FieldType, SchemaName } from './types.js';
export { COMMON, SCHEMAS, schemaNameFor } from './connectors.js';
export { validate, type NormalizedFields } from './validate.js';

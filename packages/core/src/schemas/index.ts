export type { ConnectorSchema, FieldSpec, FieldType, SchemaName } from './types.js';
export { COMMON, SCHEMAS, schemaNameFor } from './connectors.js';
export { validate, type NormalizedFields } from './validate.js';
// Internals the SDK's logger builds its per-call fast path on.
export { coerce, INVALID, takeProblem } from './coerce.js';
export { tableFor, type FieldEntry, type FieldTable } from './table.js';

/** Field specs for connector schemas (mission brief, "Connector-specific fields"). */

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'object';

export interface FieldSpec {
  readonly type: FieldType;
  /** Numbers below/above are clamped to the bound and reported. */
  readonly min?: number;
  readonly max?: number;
  /** Strings are upper-cased (HTTP methods). */
  readonly upper?: boolean;
}

/** The schemas there are; every other service_type uses `rest`. */
export type SchemaName = 'comfyui' | 'openai' | 'a1111' | 'simulation' | 'rest';

export interface ConnectorSchema {
  readonly name: SchemaName;
  /** Canonical field name → spec. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Accepted spelling → canonical field name. */
  readonly aliases: Readonly<Record<string, string>>;
}

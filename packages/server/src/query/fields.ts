/**
 * Field names → SQL expressions, through a table descriptor. Also the hook
 * for later features (aggregations: `count by service_type` resolves its
 * group-by field here).
 */
import { ATTRIBUTE_ALIASES } from '@jobscope/core';
import { syntaxError } from './errors.js';
import type { FieldType, TableDescriptor, ValueMode } from './schema.js';
import { param, sql, type Sql } from './sql.js';

const RESOURCE_PREFIX = 'resource.';

/** `jobId`, `job.id` → `job_id`; other names unchanged. */
export function canonicalFieldName(name: string): string {
  return Object.hasOwn(ATTRIBUTE_ALIASES, name) ? ATTRIBUTE_ALIASES[name] : name;
}

export interface ResolvedField {
  /** Canonical name (for messages). */
  readonly name: string;
  /** The value expression: a column expression, or `Map[{key}]` (a String). */
  readonly expr: Sql;
  /** `auto`: a map value that compares as a number when the query value is one. */
  readonly type: FieldType | 'auto';
  readonly values: ValueMode;
  readonly nullable: boolean;
  /** Set for map values: `field:*` becomes mapContains(map, key). */
  readonly map?: { readonly map: Sql; readonly key: string };
}

/**
 * Resolution order: the name as typed, its canonical alias, `resource.<key>`,
 * then the attribute map under the canonical name. Unknown names are an
 * error when the table has no attribute map.
 */
export function resolveField(table: TableDescriptor, name: string, pos: number): ResolvedField {
  const canonical = canonicalFieldName(name);
  const def = Object.hasOwn(table.fields, name) ? table.fields[name]
    : Object.hasOwn(table.fields, canonical) ? table.fields[canonical] : undefined;
  if (def !== undefined) {
    if (def.kind === 'column') {
      return { name: canonical, expr: def.expr, type: def.type, values: def.values, nullable: def.nullable };
    }
    return mapField(canonical, def.map, def.key, def.type);
  }
  if (name.startsWith(RESOURCE_PREFIX) && table.resource !== undefined) {
    const key = name.slice(RESOURCE_PREFIX.length);
    if (key === '') throw syntaxError(`expected a key after 'resource.' at ${pos}`);
    return mapField(name, table.resource, key, 'auto');
  }
  if (table.attributes !== undefined) return mapField(canonical, table.attributes, canonical, 'auto');
  const known = Object.keys(table.fields).sort().join(', ');
  throw syntaxError(`unknown field '${name}' at ${pos} for ${table.name}; known fields: ${known}`);
}

function mapField(name: string, map: Sql, key: string, type: 'string' | 'number' | 'auto'): ResolvedField {
  const value = sql`${map}[${param.string(key)}]`;
  const m = { map, key };
  if (type === 'number') {
    return { name, expr: sql`toFloat64OrNull(${value})`, type: 'number', values: 'exact', nullable: true, map: m };
  }
  return { name, expr: value, type, values: 'exact', nullable: false, map: m };
}

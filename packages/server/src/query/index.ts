/**
 * Jobscope's search language (Datadog/HyperDX/Kibana style), compiled to
 * parameterized ClickHouse SQL, and explained in English.
 *
 *   parse (scan.ts, parse.ts) → AST (ast.ts) ─┬→ compile-sql.ts → WHERE/HAVING fragment (sql.ts)
 *                                              └→ explain.ts     → English
 *
 * Tables are described in schema.ts; field resolution is fields.ts; the
 * free-text strategy (and the text index it expects) is text-search.ts.
 *
 * Later: aggregations for charts and alerts (`count by service_type`,
 * percentiles, per-interval buckets) belong in their own module here
 * (`aggregate.ts`), reusing `resolveField` for group-by/measure fields and
 * `compileWhere` for the filter, composed with the same `sql` tag.
 */
import type { Node } from './ast.js';
import { compileNode } from './compile-sql.js';
import { explain } from './explain.js';
import { parse } from './parse.js';
import type { TableDescriptor } from './schema.js';
import { render, type RenderedSql, type Sql } from './sql.js';

/** Query text → AST. Throws JobscopeError('JS_QUERY_SYNTAX') on bad syntax. */
export function parseQuery(query: string): Node {
  return parse(query);
}

/**
 * Query text → a fragment, to compose into a larger statement with the
 * `sql` tag (parameters are numbered once, when the whole is rendered).
 */
export function compileWhere(query: string, table: TableDescriptor): Sql {
  return compileNode(parse(query), table);
}

/**
 * Query text → `{ sql, params }`: a boolean expression for WHERE (or HAVING,
 * for the job-state table) with ClickHouse parameters `{p0:String}`…
 * An empty query compiles to `true`. Unknown fields (on a table without an
 * attribute map), values of the wrong type and free text on a table without
 * a text field throw JS_QUERY_SYNTAX too.
 */
export function compileQuery(query: string, table: TableDescriptor, paramPrefix = 'p'): RenderedSql {
  return render(compileWhere(query, table), paramPrefix);
}

/** Query text → plain English. */
export function explainQuery(query: string, table?: TableDescriptor): string {
  return explain(parse(query), table);
}

export type * from './ast.js';
export { compileNode } from './compile-sql.js';
export { explain } from './explain.js';
export { canonicalFieldName, resolveField, type ResolvedField } from './fields.js';
export { MAX_DEPTH, MAX_QUERY_BYTES } from './parse.js';
export {
  column, defineTable, JOB_STATE_FIELDS, JOB_STATES_TABLE, jobStatesTable, LOGS_TABLE, mapKey, SPANS_TABLE,
  type ColumnField, type ColumnOptions, type FieldDef, type FieldType, type JobStateField, type MapField,
  type TableDescriptor, type TableSpec, type ValueMode,
} from './schema.js';
export { join, Param, param, render, schemaExpr, Sql, sql, type ParamType, type RenderedSql } from './sql.js';
export { textIndexDefinition } from './text-search.js';
export { compileMatcher, type RowPredicate } from './match.js';

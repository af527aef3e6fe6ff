/** A SELECT list from trusted [expression, alias] pairs of this repository's code. */
import { join, schemaExpr, sql, type Sql } from '../query/index.js';

export function selectList(items: readonly (readonly [string, string])[]): Sql {
  return join(items.map(([expr, alias]) => sql`${schemaExpr(expr)} AS ${schemaExpr(alias)}`), sql`, `);
}

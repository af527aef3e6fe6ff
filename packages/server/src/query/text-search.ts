/**
 * Free text: bare words and "phrases" searched in a table's text column
 * (logs: Body), case-insensitively.
 *
 * Strategy (verified on chdb 3.4.0 / ClickHouse 26.7, see query.int.test.ts):
 *
 * The text column carries a `text` index on the expression
 * `lowerUTF8(Body)` with `tokenizer = splitByNonAlpha` (`textIndexDefinition`
 * below). Every free-text predicate is written over exactly that expression,
 * so the index applies, and results are the same with or without the index
 * (parts without it, tables without it such as spans). We deliberately do
 * not use the index `preprocessor` argument: ClickHouse applies it only on
 * the index path, so an unindexed part would then search case-sensitively.
 *
 *  - a word with one token (`oom`, `error.`):
 *      hasAllTokens(lowerUTF8(Body), lowerUTF8({p:String}))
 *    whole-token match; the text index answers it alone ("direct read").
 *  - a phrase or a word with several tokens (`"CUDA out of memory"`,
 *    `job-123`): hasPhrase(lowerUTF8(Body), lowerUTF8({p:String}))
 *    (26.4+) the tokens, adjacent and in order; separators between them are
 *    ignored (`out-of-memory` matches `"out of memory"`). The index prunes
 *    by the tokens, then adjacency is checked on the rows left.
 *  - no token at all (`"->"`, `"::"`): positionCaseInsensitiveUTF8(Body, p) > 0,
 *    a plain substring scan.
 *  - wildcards (`*oom*`, `OOMK*`): lowerUTF8(Body) LIKE lowerUTF8(p) with
 *    `%` around the pattern, i.e. a substring match anywhere in the message.
 *    For `%alnum%` patterns ClickHouse 26.x evaluates LIKE on the index
 *    dictionary (use_text_index_like_evaluation_by_dictionary_scan, on by
 *    default); other patterns scan.
 *
 * `hasToken` is not used: it requires a single token and does not tokenize
 * its needle. ILIKE on the raw column cannot use an index built on
 * lowerUTF8(Body). Words therefore match whole tokens: `memory` does not
 * match `memoryless`; use `memory*` for that.
 */
import { syntaxError } from './errors.js';
import type { TableDescriptor } from './schema.js';
import { param, render, sql, type Sql } from './sql.js';
import { likePattern } from './values.js';

/**
 * The tokens ClickHouse's splitByNonAlpha produces: runs of ASCII letters
 * and digits; every other ASCII byte separates; non-ASCII characters are
 * part of tokens. Used only to pick the predicate, never sent as SQL.
 */
export function textTokens(text: string): string[] {
  return text.split(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/).filter((t) => t !== '');
}

/** A word or phrase in the text expression (see the strategy above). */
export function textMatch(expr: Sql, value: string): Sql {
  const p = param.string(value);
  const n = textTokens(value).length;
  if (n === 0) return sql`positionCaseInsensitiveUTF8(${expr}, ${p}) > 0`;
  if (n === 1) return sql`hasAllTokens(lowerUTF8(${expr}), lowerUTF8(${p}))`;
  return sql`hasPhrase(lowerUTF8(${expr}), lowerUTF8(${p}))`;
}

/** A wildcard word in the text expression: a case-insensitive substring pattern. */
export function textWildcard(expr: Sql, parts: readonly string[]): Sql {
  // Leading/trailing stars are implied by the surrounding '%'.
  const inner = parts.slice(parts[0] === '' ? 1 : 0, parts[parts.length - 1] === '' ? -1 : undefined);
  const pattern = `%${likePattern(inner)}%`;
  return sql`lowerUTF8(${expr}) LIKE lowerUTF8(${param.string(pattern)})`;
}

/** The text column of a table, or a syntax error if it has none. */
export function textExpr(table: TableDescriptor, pos: number): Sql {
  const name = table.textField;
  const def = name === undefined ? undefined : table.fields[name];
  if (def === undefined || def.kind !== 'column') {
    throw syntaxError(`free text is not supported for ${table.name} (at ${pos}); use field:value`);
  }
  return def.expr;
}

/**
 * The index the store should create so free text is fast, e.g.
 * `INDEX idx_text lowerUTF8(Body) TYPE text(tokenizer = splitByNonAlpha)`.
 */
export function textIndexDefinition(table: TableDescriptor, indexName = 'idx_text'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(indexName)) throw new TypeError(`bad index name ${JSON.stringify(indexName)}`);
  const rendered = render(sql`lowerUTF8(${textExpr(table, 0)})`);
  return `INDEX ${indexName} ${rendered.sql} TYPE text(tokenizer = splitByNonAlpha)`;
}

/**
 * AST + table descriptor → a WHERE (or HAVING) fragment. User values only
 * ever become parameters (sql.ts); identifiers come from the descriptor.
 *
 * NOT is the exact complement of what it negates: predicates over nullable
 * expressions (map numbers, nullable aggregates) are wrapped in
 * `ifNull(…, 0)`, so `-duration_ms:>5000` also matches records without a
 * duration, and a missing map key compares as ''.
 */
import { levelFromText } from '@jobscope/core';
import type { CompareNode, ExistsNode, Node, RangeBound, RangeNode, TermNode, WildcardNode } from './ast.js';
import { quoteForMessage, syntaxError } from './errors.js';
import { resolveField, type ResolvedField } from './fields.js';
import type { TableDescriptor } from './schema.js';
import { join, param, sql, type Sql } from './sql.js';
import { textExpr, textMatch, textWildcard } from './text-search.js';
import { likePattern, NS_PER_DAY, parseNumber, parseTime, type TimeValue } from './values.js';

const TRUE = sql`true`;
const AND = sql` AND `;
const OR = sql` OR `;

export function compileNode(node: Node, table: TableDescriptor): Sql {
  switch (node.kind) {
    case 'all': return TRUE;
    case 'and': return join(node.children.map((c) => grouped(c, table)), AND);
    case 'or': return join(node.children.map((c) => grouped(c, table)), OR);
    case 'not': return sql`NOT (${compileNode(node.child, table)})`;
    case 'term': return term(node, table);
    case 'wildcard': return wildcard(node, table);
    case 'compare': return compare(node, table);
    case 'range': return range(node, table);
    case 'exists': return exists(node, table);
  }
}

/** Children of AND/OR: compound ones in parentheses; leaves compile to atoms. */
function grouped(node: Node, table: TableDescriptor): Sql {
  const frag = compileNode(node, table);
  return node.kind === 'and' || node.kind === 'or' ? sql`(${frag})` : frag;
}

function term(node: TermNode, table: TableDescriptor): Sql {
  if (node.field === null) {
    return node.value === '' ? TRUE : textMatch(textExpr(table, node.pos), node.value);
  }
  const f = resolveField(table, node.field, node.pos);
  switch (f.type) {
    case 'text':
      return node.value === '' ? sql`empty(${f.expr})` : textMatch(f.expr, node.value);
    case 'number': {
      const n = expectNumber(f, node.value, node.pos);
      return nullSafe(f, sql`${f.expr} = ${param.float64(n)}`);
    }
    case 'time': {
      const t = expectTime(f, node.value, node.pos);
      if (t.kind === 'instant' && t.day) {
        return sql`(${f.expr} >= ${instant(t.ns)} AND ${f.expr} < ${instant(t.ns + NS_PER_DAY)})`;
      }
      return sql`${f.expr} = ${timeSql(t)}`;
    }
    case 'string':
    case 'auto':
      return nullSafe(f, stringEquals(f, node.value));
  }
}

function stringEquals(f: ResolvedField, value: string): Sql {
  switch (f.values) {
    case 'exact': return sql`${f.expr} = ${param.string(value)}`;
    case 'lowercase': return sql`${f.expr} = ${param.string(value.toLowerCase())}`;
    case 'level': return sql`${f.expr} = ${param.string(levelFromText(value) ?? value.toLowerCase())}`;
    case 'insensitive': return sql`lowerUTF8(${f.expr}) = lowerUTF8(${param.string(value)})`;
    case 'enum': return sql`${f.expr} = ${param.string(enumWord(value))}`;
  }
}

/** An OTLP enum word as an 'enum' field's expression gives it: lowercase, without its prefix. */
function enumWord(value: string): string {
  return value.toLowerCase().replace(/^(span_kind_|status_code_)/, '');
}

function wildcard(node: WildcardNode, table: TableDescriptor): Sql {
  if (node.field === null) return textWildcard(textExpr(table, node.pos), node.parts);
  const f = resolveField(table, node.field, node.pos);
  if (f.type === 'text') return textWildcard(f.expr, node.parts);
  if (f.type === 'number' || f.type === 'time') {
    throw syntaxError(`wildcards do not apply to ${f.type} field '${f.name}' (at ${node.pos})`);
  }
  const lower = f.values === 'lowercase' || f.values === 'level' || f.values === 'enum';
  const parts = f.values === 'enum' ? node.parts.map((p, i) => (i === 0 ? enumWord(p) : p.toLowerCase())) : lower ? node.parts.map((p) => p.toLowerCase()) : node.parts;
  const ci = f.values === 'insensitive';
  const col = ci ? sql`lowerUTF8(${f.expr})` : f.expr;
  const arg = (text: string): Sql => (ci ? sql`lowerUTF8(${param.string(text)})` : sql`${param.string(text)}`);
  const last = parts.length - 1;
  let pred: Sql;
  if (parts.length === 2 && parts[1] === '') pred = sql`startsWith(${col}, ${arg(parts[0])})`;
  else if (parts.length === 2 && parts[0] === '') pred = sql`endsWith(${col}, ${arg(parts[1])})`;
  else if (parts.length === 3 && parts[0] === '' && parts[last] === '') pred = sql`position(${col}, ${arg(parts[1])}) > 0`;
  else pred = sql`${col} LIKE ${arg(likePattern(parts))}`;
  return nullSafe(f, pred);
}

type Op = CompareNode['op'];
const OPS: Readonly<Record<Op, Sql>> = { '>': sql`>`, '>=': sql`>=`, '<': sql`<`, '<=': sql`<=` };

function compare(node: CompareNode, table: TableDescriptor): Sql {
  const f = resolveField(table, node.field, node.pos);
  const c = comparator(f, [node.value], node.pos);
  return nullSafe(c.field, c.cmp(node.op, node.value));
}

function range(node: RangeNode, table: TableDescriptor): Sql {
  const f = resolveField(table, node.field, node.pos);
  const { lo, hi } = node;
  if (lo === null && hi === null) return exists({ kind: 'exists', field: node.field, pos: node.pos }, table);
  const values = [lo, hi].filter((b): b is RangeBound => b !== null).map((b) => b.value);
  const c = comparator(f, values, node.pos);
  const preds: Sql[] = [];
  if (lo !== null) preds.push(c.cmp(lo.inclusive ? '>=' : '>', lo.value));
  if (hi !== null) preds.push(c.cmp(hi.inclusive ? '<=' : '<', hi.value));
  return nullSafe(c.field, preds.length === 1 ? preds[0] : sql`(${join(preds, AND)})`);
}

interface Comparator {
  /** The field as compared (map values may become numeric, hence nullable). */
  readonly field: ResolvedField;
  cmp(op: Op, value: string): Sql;
}

/** How `values` compare against the field: as numbers, times or strings. */
function comparator(f: ResolvedField, values: readonly string[], pos: number): Comparator {
  switch (f.type) {
    case 'text':
      throw syntaxError(`comparisons do not apply to text field '${f.name}' (at ${pos})`);
    case 'number':
      return { field: f, cmp: (op, v) => sql`${f.expr} ${OPS[op]} ${param.float64(expectNumber(f, v, pos))}` };
    case 'time':
      return { field: f, cmp: (op, v) => sql`${f.expr} ${OPS[op]} ${timeSql(expectTime(f, v, pos))}` };
    case 'auto':
      if (values.every((v) => parseNumber(v) !== undefined)) {
        const num: ResolvedField = { ...f, expr: sql`toFloat64OrNull(${f.expr})`, type: 'number', nullable: true };
        return comparator(num, values, pos);
      }
      return { field: f, cmp: (op, v) => sql`${f.expr} ${OPS[op]} ${param.string(v)}` };
    case 'string': {
      const norm = f.values === 'exact' ? (v: string) => v : f.values === 'enum' ? enumWord : (v: string) => v.toLowerCase();
      const col = f.values === 'insensitive' ? sql`lowerUTF8(${f.expr})` : f.expr;
      return { field: f, cmp: (op, v) => sql`${col} ${OPS[op]} ${param.string(norm(v))}` };
    }
  }
}

function exists(node: ExistsNode, table: TableDescriptor): Sql {
  const f = resolveField(table, node.field, node.pos);
  if (f.map !== undefined) return sql`mapContains(${f.map.map}, ${param.string(f.map.key)})`;
  if (f.type === 'number' || f.type === 'time') return sql`isNotNull(${f.expr})`;
  return nullSafe(f, sql`notEmpty(${f.expr})`);
}

function nullSafe(f: ResolvedField, pred: Sql): Sql {
  return f.nullable ? sql`ifNull(${pred}, 0)` : pred;
}

function expectNumber(f: ResolvedField, value: string, pos: number): number {
  const n = parseNumber(value);
  if (n === undefined) throw syntaxError(`'${f.name}' expects a number, got ${quoteForMessage(value)} at ${pos}`);
  return n;
}

function expectTime(f: ResolvedField, value: string, pos: number): TimeValue {
  const t = parseTime(value);
  if (t === undefined) {
    throw syntaxError(
      `'${f.name}' expects a time (2024-05-01, 2024-05-01T10:00:00Z, epoch, now-15m), got ${quoteForMessage(value)} at ${pos}`,
    );
  }
  return t;
}

function instant(ns: bigint): Sql {
  return sql`fromUnixTimestamp64Nano(${param.int64(ns)})`;
}

function timeSql(t: TimeValue): Sql {
  if (t.kind === 'instant') return instant(t.ns);
  if (t.offsetSeconds === 0) return sql`now64(9)`;
  return t.offsetSeconds < 0
    ? sql`subtractSeconds(now64(9), ${param.int64(-t.offsetSeconds)})`
    : sql`addSeconds(now64(9), ${param.int64(t.offsetSeconds)})`;
}

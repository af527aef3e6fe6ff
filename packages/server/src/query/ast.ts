/**
 * The search language's syntax tree: one tree, two back ends (SQL in
 * compile-sql.ts, English in explain.ts).
 *
 * Field names are kept as the user typed them (`jobId`); back ends map them
 * with `canonicalFieldName` / the table descriptor. Values are kept as text
 * (backslash escapes already removed): a back end decides whether `5000` is a
 * number, a time or a string, because only the field's type can tell.
 * `pos` is the 0-based character offset where the term starts (the field
 * name for `field:value`), for error messages.
 */

/** Matches every record (empty query, or a lone `*`). */
export interface AllNode { readonly kind: 'all' }

export interface AndNode { readonly kind: 'and'; readonly children: readonly Node[] }
export interface OrNode { readonly kind: 'or'; readonly children: readonly Node[] }
export interface NotNode { readonly kind: 'not'; readonly child: Node }

/**
 * `field:value`, `field:"quoted value"`, or free text (`field` null):
 * a bare word or a quoted phrase searched in the table's text column.
 */
export interface TermNode {
  readonly kind: 'term';
  readonly field: string | null;
  readonly value: string;
  /** Written in double quotes (a phrase: `*` is literal, keywords are words). */
  readonly quoted: boolean;
  readonly pos: number;
}

/**
 * A value with unescaped `*`: the literal pieces between the stars.
 * `job-12*` → ['job-12', ''], `*oom*` → ['', 'oom', ''], `a*b` → ['a', 'b'].
 * Always at least two parts.
 */
export interface WildcardNode {
  readonly kind: 'wildcard';
  readonly field: string | null;
  readonly parts: readonly string[];
  readonly pos: number;
}

export type CompareOp = '>' | '>=' | '<' | '<=';

/** `field:>5000`, `field:<=2024-05-01`. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly field: string;
  readonly op: CompareOp;
  readonly value: string;
  readonly pos: number;
}

export interface RangeBound { readonly value: string; readonly inclusive: boolean }

/** `field:[100 TO 500]` (inclusive), `{100 TO 500}` (exclusive), `*` = open end. */
export interface RangeNode {
  readonly kind: 'range';
  readonly field: string;
  /** null: open (`*`). */
  readonly lo: RangeBound | null;
  readonly hi: RangeBound | null;
  readonly pos: number;
}

/** `field:*`: the field is present (non-empty). */
export interface ExistsNode { readonly kind: 'exists'; readonly field: string; readonly pos: number }

export type Node =
  | AllNode | AndNode | OrNode | NotNode
  | TermNode | WildcardNode | CompareNode | RangeNode | ExistsNode;

export type LeafNode = TermNode | WildcardNode | CompareNode | RangeNode | ExistsNode;

export const ALL: AllNode = Object.freeze({ kind: 'all' });

/** Text of a wildcard value with `*` where the wildcards are (for messages). */
export function wildcardText(parts: readonly string[]): string {
  return parts.join('*');
}

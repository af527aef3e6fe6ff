/**
 * Recursive-descent parser: query text → AST (ast.ts).
 *
 *   query   := orExpr? EOF
 *   orExpr  := andExpr (OR andExpr)*
 *   andExpr := unary ((AND)? unary)*        -- implicit AND; AND binds tighter than OR
 *   unary   := NOT unary | '-' unary | primary
 *   primary := '(' orExpr ')' | field ':' value | word | "phrase"
 *   value   := '(' orExpr ')'               -- a group: every term in it applies to the field
 *            | '[' bound TO bound ']'       -- '{' '}' for exclusive ends, '*' for open
 *            | ('>' | '>=' | '<' | '<=') scalar
 *            | '*'                          -- field exists
 *            | word | "phrase"
 *
 * Keywords are case-insensitive; quote or escape them to search for the word.
 * Limits: MAX_QUERY_BYTES of UTF-8 and MAX_DEPTH nested groups/negations.
 */
import { ALL, type Node, type TermNode, type WildcardNode } from './ast.js';
import { syntaxError } from './errors.js';
import { describeToken, Scanner, type Phrase, type Word } from './scan.js';

export const MAX_QUERY_BYTES = 4096;
export const MAX_DEPTH = 32;

export function parse(query: string): Node {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > MAX_QUERY_BYTES) {
    throw syntaxError(`query is too long: ${bytes} bytes, the limit is ${MAX_QUERY_BYTES}`);
  }
  return new Parser(query).parseQuery();
}

class Parser {
  readonly #s: Scanner;
  #depth = 0;

  constructor(query: string) {
    this.#s = new Scanner(query);
  }

  parseQuery(): Node {
    if (this.#s.peek().t === 'eof') return ALL;
    const node = this.#or(null);
    const tok = this.#s.peek();
    if (tok.t === 'rparen') throw syntaxError(`unexpected ')' at ${tok.pos}: no matching '('`);
    if (tok.t !== 'eof') throw this.#unexpected(tok, 'end of query');
    return node;
  }

  /** `field` is set inside `field:( … )`: bare terms there apply to it. */
  #or(field: string | null): Node {
    const children = [this.#and(field)];
    while (this.#s.peek().t === 'or') {
      this.#s.next();
      children.push(this.#and(field));
    }
    return combine('or', children);
  }

  #and(field: string | null): Node {
    const children = [this.#unary(field)];
    for (;;) {
      const tok = this.#s.peek();
      if (tok.t === 'eof' || tok.t === 'rparen' || tok.t === 'or') break;
      if (tok.t === 'and') this.#s.next();
      children.push(this.#unary(field));
    }
    return combine('and', children);
  }

  #unary(field: string | null): Node {
    const tok = this.#s.peek();
    if (tok.t === 'not' || tok.t === 'minus') {
      this.#s.next();
      this.#enter(tok.pos);
      const child = this.#unary(field);
      this.#depth--;
      return { kind: 'not', child };
    }
    return this.#primary(field);
  }

  #primary(field: string | null): Node {
    const tok = this.#s.next();
    switch (tok.t) {
      case 'lparen': return this.#group(field, tok.pos);
      case 'field':
        if (field !== null) {
          throw syntaxError(`unexpected field '${tok.name}:' at ${tok.pos} inside the group of '${field}:'`);
        }
        return this.#fieldValue(tok.name, tok.pos);
      case 'word': return wordNode(field, tok);
      case 'phrase': return phraseNode(field, tok);
      default: throw this.#unexpected(tok, 'a term');
    }
  }

  #group(field: string | null, pos: number): Node {
    this.#enter(pos);
    if (this.#s.peek().t === 'rparen') throw this.#unexpected(this.#s.peek(), 'a term');
    const inner = this.#or(field);
    const close = this.#s.next();
    if (close.t !== 'rparen') throw this.#unexpected(close, close.t === 'eof' ? `')' to close the '(' at ${pos}` : "')'");
    this.#depth--;
    return inner;
  }

  /** Nodes of `field:value` carry the position of the field (the term's start). */
  #fieldValue(field: string, pos: number): Node {
    const v = this.#s.value(field);
    switch (v.t) {
      case 'lparen': return this.#group(field, v.pos);
      case 'range': return { kind: 'range', field, lo: v.lo, hi: v.hi, pos };
      case 'compare': return { kind: 'compare', field, op: v.op, value: v.value, pos };
      case 'phrase': return phraseNode(field, { ...v, pos });
      case 'word': return wordNode(field, { ...v, pos });
    }
  }

  #enter(pos: number): void {
    if (++this.#depth > MAX_DEPTH) {
      throw syntaxError(`query nests too deeply at ${pos}: at most ${MAX_DEPTH} levels of parentheses and negations`);
    }
  }

  #unexpected(tok: ReturnType<Scanner['peek']>, expected: string) {
    return syntaxError(`unexpected ${describeToken(tok)} at ${tok.pos}, expected ${expected}`);
  }
}

function wordNode(field: string | null, w: Word): Node {
  if (w.parts.length === 1) return { kind: 'term', field, value: w.parts[0], quoted: false, pos: w.pos };
  // Only stars: `field:*` is "field exists"; a lone `*` as free text matches everything.
  if (w.parts.every((p) => p === '')) return field === null ? ALL : { kind: 'exists', field, pos: w.pos };
  return { kind: 'wildcard', field, parts: w.parts, pos: w.pos } satisfies WildcardNode;
}

function phraseNode(field: string | null, p: Phrase): TermNode {
  return { kind: 'term', field, value: p.value, quoted: true, pos: p.pos };
}

/** Flatten nested nodes of the same kind; one child is the child itself. */
function combine(kind: 'and' | 'or', children: Node[]): Node {
  if (children.length === 1) return children[0];
  const flat: Node[] = [];
  for (const c of children) {
    if (c.kind === kind) flat.push(...c.children);
    else flat.push(c);
  }
  return { kind, children: flat };
}

/**
 * The AST in plain English, for the UI ("Showing logs where …") and tests:
 * `service_type:comfyui -event_type:job_progress "CUDA out of memory"` →
 * `service_type is comfyui and event_type is not job_progress and message
 * contains "CUDA out of memory"`.
 *
 * Without a table, `message`/`body` are the text fields and free text
 * searches `message`; with one, its text field and field types decide.
 */
import type { CompareOp, LeafNode, Node, RangeNode, WildcardNode } from './ast.js';
import { canonicalFieldName } from './fields.js';
import type { TableDescriptor } from './schema.js';
import { parseNumber, parseTime } from './values.js';

export function explain(node: Node, table?: TableDescriptor): string {
  return new Explainer(table).node(node);
}

class Explainer {
  readonly #table: TableDescriptor | undefined;
  constructor(table: TableDescriptor | undefined) {
    this.#table = table;
  }

  node(node: Node): string {
    switch (node.kind) {
      case 'all': return 'everything';
      case 'and': return node.children.map((c) => this.#child(c, 'or')).join(' and ');
      case 'or': return node.children.map((c) => this.#child(c, 'and')).join(' or ');
      case 'not': {
        const c = node.child;
        if (c.kind === 'all') return 'nothing';
        if (c.kind === 'and' || c.kind === 'or' || c.kind === 'not') return `not (${this.node(c)})`;
        return this.#leaf(c, true);
      }
      default: return this.#leaf(node, false);
    }
  }

  #child(node: Node, parenthesize: 'and' | 'or'): string {
    const s = this.node(node);
    return node.kind === parenthesize ? `(${s})` : s;
  }

  #leaf(node: LeafNode, negated: boolean): string {
    const name = node.field === null ? this.#textLabel() : canonicalFieldName(node.field);
    const text = node.field === null || this.#isText(node.field);
    switch (node.kind) {
      case 'term': {
        const v = show(node.value, node.quoted);
        if (text) return `${name} ${negated ? 'does not contain' : 'contains'} ${v}`;
        return `${name} ${negated ? 'is not' : 'is'} ${v}`;
      }
      case 'wildcard': return `${name} ${wildcardVerb(node, text, negated)}`;
      case 'compare': return `${name} ${negated ? 'is not' : 'is'} ${compareWords(node.op, node.value)} ${node.value}`;
      case 'range': return `${name} ${negated ? 'is not' : 'is'} ${rangeWords(node)}`;
      case 'exists': return `${name} ${negated ? 'does not exist' : 'exists'}`;
    }
  }

  #textLabel(): string {
    return this.#table?.textField ?? 'message';
  }

  #isText(field: string): boolean {
    const canonical = canonicalFieldName(field);
    if (this.#table === undefined) return canonical === 'message' || canonical === 'body';
    const def = this.#table.fields[field] ?? this.#table.fields[canonical];
    return def !== undefined && def.kind === 'column' && def.type === 'text';
  }
}

function show(value: string, quoted: boolean): string {
  return quoted || value === '' || /\s/.test(value) ? JSON.stringify(value) : value;
}

function wildcardVerb(node: WildcardNode, text: boolean, negated: boolean): string {
  const p = node.parts;
  const nonEmpty = p.filter((x) => x !== '');
  if (text && nonEmpty.length === 1) return `${negated ? 'does not contain' : 'contains'} ${show(nonEmpty[0], false)}`;
  if (!text && p.length === 2 && p[1] === '') return `${negated ? 'does not start' : 'starts'} with ${show(p[0], false)}`;
  if (!text && p.length === 2 && p[0] === '') return `${negated ? 'does not end' : 'ends'} with ${show(p[1], false)}`;
  if (!text && p.length === 3 && p[0] === '' && p[2] === '') return `${negated ? 'does not contain' : 'contains'} ${show(p[1], false)}`;
  return `${negated ? 'does not match' : 'matches'} ${show(p.join('*'), false)}`;
}

const NUMBER_WORDS: Readonly<Record<CompareOp, string>> = {
  '>': 'greater than', '>=': 'at least', '<': 'less than', '<=': 'at most',
};
const TIME_WORDS: Readonly<Record<CompareOp, string>> = {
  '>': 'after', '>=': 'at or after', '<': 'before', '<=': 'at or before',
};

/** Times read as times (`is after now-1h`), everything else as quantities. */
function compareWords(op: CompareOp, value: string): string {
  const isTime = parseNumber(value) === undefined && parseTime(value) !== undefined;
  return (isTime ? TIME_WORDS : NUMBER_WORDS)[op];
}

function rangeWords(node: RangeNode): string {
  const { lo, hi } = node;
  if (lo !== null && hi !== null && lo.inclusive && hi.inclusive) return `between ${lo.value} and ${hi.value}`;
  const parts: string[] = [];
  if (lo !== null) parts.push(`${compareWords(lo.inclusive ? '>=' : '>', lo.value)} ${lo.value}`);
  if (hi !== null) parts.push(`${compareWords(hi.inclusive ? '<=' : '<', hi.value)} ${hi.value}`);
  return parts.length === 0 ? 'anything' : parts.join(' and ');
}

/**
 * The tokenizer. Lexing depends on context, so the parser pulls tokens in one
 * of two modes:
 *  - term mode (`peek`/`next`): parentheses, keywords AND/OR/NOT, `-` prefix,
 *    `field:` (a word ending at an unescaped colon), bare words, "phrases";
 *  - value mode (`value`), directly after `field:`: a group `(`, a range
 *    `[a TO b]`, a comparison `>=5`, a phrase or a bare word in which colons
 *    are ordinary characters (`timestamp:>2024-05-01T10:00:00Z`).
 *
 * A backslash escapes any character (`\:`, `\*`, `\"`, `\\`, `\ `); an
 * unescaped `*` in a bare word is a wildcard. Inside quotes `*` is literal.
 */
import type { CompareOp } from './ast.js';
import { quoteForMessage, syntaxError } from './errors.js';

export type Token =
  | { readonly t: 'eof'; readonly pos: number }
  | { readonly t: 'lparen'; readonly pos: number }
  | { readonly t: 'rparen'; readonly pos: number }
  | { readonly t: 'and' | 'or' | 'not'; readonly pos: number; readonly text: string }
  | { readonly t: 'minus'; readonly pos: number }
  | { readonly t: 'field'; readonly name: string; readonly pos: number }
  | Word
  | Phrase;

/** A bare word split at its unescaped `*` (one part: no wildcard). */
export interface Word { readonly t: 'word'; readonly parts: readonly string[]; readonly escaped: boolean; readonly pos: number }
export interface Phrase { readonly t: 'phrase'; readonly value: string; readonly pos: number }

export interface Bound { readonly value: string; readonly inclusive: boolean }

export type ValueToken =
  | { readonly t: 'lparen'; readonly pos: number }
  | { readonly t: 'range'; readonly lo: Bound | null; readonly hi: Bound | null; readonly pos: number }
  | { readonly t: 'compare'; readonly op: CompareOp; readonly value: string; readonly pos: number }
  | Word
  | Phrase;

const KEYWORDS: Readonly<Record<string, 'and' | 'or' | 'not'>> = { AND: 'and', OR: 'or', NOT: 'not' };

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || /\s/.test(ch);
}

/** How a token appears in "unexpected …" messages. */
export function describeToken(tok: Token): string {
  switch (tok.t) {
    case 'eof': return 'end of query';
    case 'lparen': return "'('";
    case 'rparen': return "')'";
    case 'and': case 'or': case 'not': return `'${tok.text}'`;
    case 'minus': return "'-'";
    case 'field': return quoteForMessage(`${tok.name}:`);
    case 'word': return quoteForMessage(tok.parts.join('*'));
    case 'phrase': return quoteForMessage(`"${tok.value}"`);
  }
}

export class Scanner {
  readonly #src: string;
  #i = 0;
  #peeked: { tok: Token; end: number } | null = null;

  constructor(src: string) {
    this.#src = src;
  }

  /** The next term-mode token, not consumed. */
  peek(): Token {
    if (this.#peeked === null) {
      const start = this.#i;
      const tok = this.#term();
      this.#peeked = { tok, end: this.#i };
      this.#i = start;
    }
    return this.#peeked.tok;
  }

  /** Consume and return the next term-mode token. */
  next(): Token {
    const tok = this.peek();
    this.#i = this.#peeked!.end;
    this.#peeked = null;
    return tok;
  }

  /**
   * Consume the value right after `field:` (never after a peek). The value
   * must follow the colon directly: `ERROR: disk full` pasted from a log is
   * refused with a hint rather than searched as the field `ERROR`.
   */
  value(field: string): ValueToken {
    if (this.#peeked !== null) throw new Error('Scanner.value() after peek()');
    const src = this.#src;
    const pos = this.#i;
    const ch = src[pos];
    if (ch === undefined || ch === ')' || isSpace(ch)) {
      throw syntaxError(
        `expected a value after '${field}:' at ${pos}; to search for the text, quote it or escape the colon ('${field}\\:')`,
      );
    }
    if (ch === '(') { this.#i++; return { t: 'lparen', pos }; }
    if (ch === '[' || ch === '{') return this.#range();
    if (ch === '>' || ch === '<') {
      let op: CompareOp = ch;
      this.#i++;
      if (src[this.#i] === '=') { op = ch === '>' ? '>=' : '<='; this.#i++; }
      this.#skipSpace();
      const at = this.#i;
      const v = this.#scalar(`a value after '${op}'`, false);
      if (v === null) throw syntaxError(`wildcards are not allowed in comparisons (at ${at})`);
      return { t: 'compare', op, value: v, pos };
    }
    if (ch === '"') return { t: 'phrase', value: this.#quoted(), pos };
    const w = this.#bare(false, NO_STOP);
    return { t: 'word', parts: w.parts, escaped: w.escaped, pos };
  }

  #term(): Token {
    this.#skipSpace();
    const src = this.#src;
    const pos = this.#i;
    const ch = src[pos];
    if (ch === undefined) return { t: 'eof', pos };
    if (ch === '(') { this.#i++; return { t: 'lparen', pos }; }
    if (ch === ')') { this.#i++; return { t: 'rparen', pos }; }
    if (ch === '-') {
      const after = src[pos + 1];
      if (after === undefined || after === ')' || isSpace(after)) {
        throw syntaxError(`expected a term after '-' at ${pos}`);
      }
      this.#i++;
      return { t: 'minus', pos };
    }
    if (ch === '"') {
      const value = this.#quoted();
      if (src[this.#i] === ':') {
        this.#i++;
        if (value === '') throw syntaxError(`expected a field name before ':' at ${pos}`);
        return { t: 'field', name: value, pos };
      }
      return { t: 'phrase', value, pos };
    }
    const w = this.#bare(true, NO_STOP);
    if (w.colon) {
      if (w.parts.length > 1) throw syntaxError(`wildcards are not allowed in field names (at ${pos})`);
      const name = w.parts[0];
      if (name === '') throw syntaxError(`expected a field name before ':' at ${pos}`);
      return { t: 'field', name, pos };
    }
    if (!w.escaped && w.parts.length === 1) {
      const kw = KEYWORDS[w.parts[0].toUpperCase()];
      if (kw !== undefined) return { t: kw, pos, text: w.parts[0] };
    }
    return { t: 'word', parts: w.parts, escaped: w.escaped, pos };
  }

  /** `[lo TO hi]`, `{lo TO hi}` or mixed; `*` is an open end. */
  #range(): ValueToken {
    const src = this.#src;
    const pos = this.#i;
    const loInclusive = src[pos] === '[';
    this.#i++;
    this.#skipSpace();
    const lo = this.#scalar('a range bound', true);
    this.#skipSpace();
    const toAt = this.#i;
    const to = src.slice(toAt, toAt + 2);
    const afterTo = src[toAt + 2];
    if (to.toUpperCase() !== 'TO' || (afterTo !== undefined && !isSpace(afterTo))) {
      throw syntaxError(`expected 'TO' at ${toAt}`);
    }
    this.#i += 2;
    this.#skipSpace();
    const hi = this.#scalar('a range bound', true);
    this.#skipSpace();
    const close = src[this.#i];
    if (close !== ']' && close !== '}') throw syntaxError(`expected ']' or '}' at ${this.#i}`);
    this.#i++;
    return {
      t: 'range', pos,
      lo: lo === null ? null : { value: lo, inclusive: loInclusive },
      hi: hi === null ? null : { value: hi, inclusive: close === ']' },
    };
  }

  /**
   * A single value: quoted, or bare without wildcards. In a range a lone `*`
   * is an open end (null) and `]`/`}` end the word; elsewhere `*` is refused.
   */
  #scalar(what: string, inRange: boolean): string | null {
    const pos = this.#i;
    const ch = this.#src[pos];
    if (ch === '"') return this.#quoted();
    const w = this.#bare(false, inRange ? RANGE_STOP : NO_STOP);
    if (w.parts.length === 1 && w.parts[0] === '') {
      throw syntaxError(ch === undefined ? `expected ${what} at ${pos}` : `unexpected '${ch}' at ${pos}, expected ${what}`);
    }
    if (w.parts.length > 1) {
      if (inRange && !w.escaped && w.parts.length === 2 && w.parts[0] === '' && w.parts[1] === '') return null;
      throw syntaxError(`wildcards are not allowed in ${inRange ? 'ranges' : 'comparisons'} (at ${pos})`);
    }
    return w.parts[0];
  }

  /** A double-quoted string; the cursor is on the opening quote. */
  #quoted(): string {
    const src = this.#src;
    const start = this.#i;
    let out = '';
    let i = start + 1;
    for (;;) {
      const ch = src[i];
      if (ch === undefined) throw syntaxError(`unterminated quoted phrase starting at ${start}`);
      if (ch === '"') break;
      if (ch === '\\') {
        const esc = src[i + 1];
        if (esc === undefined) throw syntaxError(`unterminated quoted phrase starting at ${start}`);
        out += esc;
        i += 2;
        continue;
      }
      out += ch;
      i++;
    }
    this.#i = i + 1;
    return out;
  }

  /**
   * A bare word up to whitespace, `(`, `)` (and `stop` characters); with
   * `stopAtColon`, also up to an unescaped `:` (consumed, `colon` true).
   */
  #bare(stopAtColon: boolean, stop: ReadonlySet<string>): { parts: string[]; escaped: boolean; colon: boolean } {
    const src = this.#src;
    const parts: string[] = [];
    let cur = '';
    let escaped = false;
    let colon = false;
    let i = this.#i;
    for (;;) {
      const ch = src[i];
      if (ch === undefined || ch === '(' || ch === ')' || stop.has(ch) || isSpace(ch)) break;
      if (ch === '\\') {
        const esc = src[i + 1];
        if (esc === undefined) throw syntaxError(`dangling '\\' at ${i}, escape a backslash as '\\\\'`);
        cur += esc;
        escaped = true;
        i += 2;
        continue;
      }
      if (ch === '"') {
        throw syntaxError(`unexpected '"' at ${i}, put a space before a quoted phrase or escape it as '\\"'`);
      }
      if (ch === ':' && stopAtColon) { colon = true; i++; break; }
      if (ch === '*') { parts.push(cur); cur = ''; i++; continue; }
      cur += ch;
      i++;
    }
    parts.push(cur);
    this.#i = i;
    return { parts, escaped, colon };
  }

  #skipSpace(): void {
    const src = this.#src;
    while (this.#i < src.length && isSpace(src[this.#i])) this.#i++;
  }
}

const NO_STOP: ReadonlySet<string> = new Set();
const RANGE_STOP: ReadonlySet<string> = new Set([']', '}']);

/**
 * The walk over values: strings anywhere (attribute values, bodies, nested
 * in maps and arrays) go through the patterns; a map entry whose key is a
 * secret's name (authorization, password, …) has its whole value replaced,
 * whatever its type. Changes are made in place.
 */
import type { AnyValue, Attributes } from '@jobscope/otlp';
import { gateFor, type CompiledPattern } from './patterns.js';

/** Nesting deeper than this is left as it is (decoded values are finite; this bounds the stack). */
const MAX_DEPTH = 64;
export const KEY_COUNTER = 'keys';
const MAX_SEEN_KEYS = 4096;

export class Scrubber {
  readonly #patterns: readonly CompiledPattern[];
  readonly #keys: ReadonlySet<string>;
  readonly #replacement: string;
  readonly #count: (name: string) => void;
  readonly #hits: (() => void)[];
  readonly #gate: RegExp | null;
  /** Answers of isSecretKey (attribute keys repeat from record to record). */
  readonly #seen = new Map<string, boolean>();

  constructor(patterns: readonly CompiledPattern[], keys: Iterable<string>, replacement: string, count: (name: string) => void) {
    this.#patterns = patterns;
    this.#keys = new Set([...keys].map((k) => k.toLowerCase()));
    this.#replacement = replacement;
    this.#count = count;
    this.#hits = patterns.map((p) => () => count(p.name));
    this.#gate = gateFor(patterns);
  }

  /** True when the key names a secret: the whole key, or its last dotted segment (http.request.header.authorization). */
  isSecretKey(key: string): boolean {
    let known = this.#seen.get(key);
    if (known === undefined) {
      const k = key.toLowerCase();
      const dot = k.lastIndexOf('.');
      known = this.#keys.has(k) || (dot !== -1 && this.#keys.has(k.slice(dot + 1)));
      if (this.#seen.size < MAX_SEEN_KEYS) this.#seen.set(key, known);
    }
    return known;
  }

  string(s: string): string {
    if (this.#gate !== null && !this.#gate.test(s)) return s;
    let out = s;
    for (let i = 0; i < this.#patterns.length; i++) out = this.#patterns[i]!.apply(out, this.#hits[i]!);
    return out;
  }

  value(v: AnyValue, depth = 0): AnyValue {
    if (typeof v === 'string') return this.string(v);
    if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = this.value(v[i] as AnyValue, depth + 1);
      return v;
    }
    this.attributes(v, depth + 1);
    return v;
  }

  attributes(attrs: Attributes, depth = 0): void {
    for (const key of Object.keys(attrs)) {
      const v = attrs[key] as AnyValue;
      if (this.isSecretKey(key)) {
        if (v !== null && v !== '' && v !== this.#replacement) {
          attrs[key] = this.#replacement;
          this.#count(KEY_COUNTER);
        }
        continue;
      }
      if (typeof v === 'string') {
        const s = this.string(v);
        if (s !== v) attrs[key] = s;
      } else if (v !== null && typeof v === 'object') {
        this.value(v, depth);
      }
    }
  }
}

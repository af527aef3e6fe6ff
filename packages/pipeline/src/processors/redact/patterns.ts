/**
 * Redaction patterns: the defaults and the compiled form of user patterns.
 *
 * The defaults run on every string of every record, so they are written to
 * be linear in the input, whatever it holds:
 * - every variable-length part is a single character class, and what
 *   follows it cannot be matched by that class (no nested or adjacent
 *   overlapping quantifiers: no catastrophic backtracking);
 * - a lookbehind keeps a match from starting inside a run of the
 *   characters it scans, so no run is re-scanned from each of its
 *   positions (no quadratic blow-up on long tokens like "sk-sk-sk-…");
 * - checks that would need lookaheads (a key must contain a digit, a Basic
 *   credential must decode to user:pass) are done on the match, in code.
 * User patterns are the operator's responsibility.
 */
import type { RedactPatternConfig } from './config.js';

export interface CompiledPattern {
  readonly name: string;
  /** Substrings one of which every match contains (absent: no such hint, the pattern always runs). */
  readonly hints?: readonly string[];
  /** `s` with this pattern's secrets replaced; `hit` called once per redaction. */
  apply(s: string, hit: () => void): string;
}

type Check = (match: string, groups: (string | undefined)[]) => string | null;

/**
 * A pattern whose callback returns the replacement, or null to leave the match
 * as it is. `may` is a cheap necessary condition (a substring the match must
 * contain) checked before the regex: most strings hold no secret, and
 * `includes` is several times cheaper than a failed regex scan. The hints
 * of all patterns also make one gate regex (gateFor) run once per string.
 */
function coded(name: string, hints: readonly string[], re: RegExp, check: Check): CompiledPattern {
  const may = (s: string): boolean => hints.some((h) => s.includes(h));
  return {
    name,
    hints,
    apply(s, hit) {
      if (!may(s)) return s;
      re.lastIndex = 0;
      if (!re.test(s)) return s;
      re.lastIndex = 0;
      return s.replace(re, (match: string, ...rest: unknown[]) => {
        // rest: the groups, then offset and input (the defaults use no named groups)
        const groups = rest.slice(0, -2) as (string | undefined)[];
        const out = check(match, groups);
        if (out === null) return match;
        hit();
        return out;
      });
    },
  };
}

const LETTERS_ONLY = /^[A-Za-z]+$/;
const HAS_DIGIT = /[0-9]/;
const PRINTABLE_USER_PASS = /^[\x20-\x7e]+:[\x20-\x7e]*$/;

/** The default patterns, in the order they run, replacing secrets with `r`. */
export function defaultPatterns(r: string): CompiledPattern[] {
  return [
    // scheme://user:password@host → scheme://[REDACTED]@host
    coded('url_credentials', ['://'], /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#@:]+:[^\s/?#@]*@/g,
      (_m, [scheme]) => `${scheme}${r}@`),
    // Authorization: Bearer <token> → Bearer [REDACTED]. A letters-only short word is prose ("bearer of news").
    coded('bearer_token', ['earer', 'EARER'], /(?<![A-Za-z0-9_])(Bearer|bearer|BEARER)([ \t]+)([A-Za-z0-9\-._~+/]+=*)/g,
      (_m, [word, space, token]) => (token === r || (LETTERS_ONLY.test(token ?? '') && (token ?? '').length < 20) ? null : `${word}${space}${r}`)),
    // Authorization: Basic base64(user:pass), only when it decodes to a credential.
    coded('basic_auth', ['Basic'], /(?<![A-Za-z0-9_])(Basic)([ \t]+)([A-Za-z0-9+/]+=*)/g,
      (_m, [word, space, token]) => (isBasicCredential(token ?? '') ? `${word}${space}${r}` : null)),
    // JSON Web Tokens: header.payload.signature, base64url, header starting {" (eyJ).
    coded('jwt', ['eyJ'], /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, () => r),
    // OpenAI-style secret keys (sk-…, sk-proj-…, sk-svcacct-…): long, with digits.
    coded('openai_key', ['sk-'], /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g, (m) => (HAS_DIGIT.test(m) ? r : null)),
    // AWS access key ids (long-term AKIA…, temporary ASIA…).
    coded('aws_access_key_id', ['AKIA', 'ASIA'], /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, () => r),
    // api_key=…, apikey: …, "token": "…", password=… (in query strings, logfmt, JSON, YAML). Skips a
    // value an earlier pattern already replaced ("api_key=[REDACTED]") and a scheme word left for the above.
    coded('secret_pair', ['=', ':'], /(?<![A-Za-z0-9])((?:api[_-]?key|access[_-]?key|secret[_-]?key|secret|token|password|passwd)["']?[ \t]*[:=][ \t]*["']?)([^\s"'&,;)}\]<>]+)/gi,
      (_m, [prefix, value]) => (value === undefined || r.startsWith(value) || /^(?:bearer|basic)$/i.test(value) ? null : `${prefix}${r}`)),
  ];
}

/**
 * One regex matching any hint of any pattern, or null when a pattern has no
 * hints (a user pattern): strings it does not match cannot hold a secret
 * (one scan per string instead of one per pattern).
 */
export function gateFor(patterns: readonly CompiledPattern[]): RegExp | null {
  const hints: string[] = [];
  for (const p of patterns) {
    if (!p.hints) return null;
    hints.push(...p.hints);
  }
  return new RegExp(hints.map((h) => h.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'));
}

function isBasicCredential(token: string): boolean {
  if (token.length < 8 || token.length % 4 !== 0) return false;
  return PRINTABLE_USER_PASS.test(Buffer.from(token, 'base64').toString('latin1'));
}

/** A user pattern (validated by validateRedactConfig). Empty matches are never replaced. */
export function compileUserPattern(p: RedactPatternConfig, defaultReplacement: string): CompiledPattern {
  const re = new RegExp(p.regex, `${p.flags ?? ''}g`);
  const template = p.replacement;
  return {
    name: p.name,
    apply(s, hit) {
      re.lastIndex = 0;
      if (!re.test(s)) return s;
      re.lastIndex = 0;
      return s.replace(re, (match: string, ...rest: unknown[]) => {
        if (match === '') return match;
        hit();
        if (template === undefined) return defaultReplacement;
        const last = rest[rest.length - 1];
        const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
        const groups = rest.slice(0, named ? -3 : -2) as (string | undefined)[];
        return expand(template, match, groups, named);
      });
    },
  };
}

/** String.replace's replacement patterns: $$, $&, $1…$99, $<name>. */
export function expand(template: string, match: string, groups: readonly (string | undefined)[], named?: Record<string, string | undefined>): string {
  if (!template.includes('$')) return template;
  return template.replace(/\$(\$|&|<([^>]*)>|\d{1,2})/g, (all: string, token: string, name: string | undefined) => {
    if (token === '$') return '$';
    if (token === '&') return match;
    if (name !== undefined) return named ? named[name] ?? '' : all;
    let n = Number(token);
    if (n > groups.length && token.length === 2) {
      n = Number(token[0]);
      return n >= 1 && n <= groups.length ? (groups[n - 1] ?? '') + token[1] : all;
    }
    return n >= 1 && n <= groups.length ? groups[n - 1] ?? '' : all;
  });
}

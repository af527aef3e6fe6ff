/** Helpers for the search language: quoting values and adding terms to a query. */

/** `field:value`, the value quoted when it is not a plain token. */
export function term(field: string, value: string): string {
  return `${field}:${quote(value)}`;
}

export function quote(value: string): string {
  if (/^[A-Za-z0-9_.\/@+][A-Za-z0-9_.\/@+\-]*$/.test(value) && !/^(AND|OR|NOT|TO)$/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The query with `t` ANDed on (a query with a top-level OR is wrapped first). */
export function addTerm(q: string, t: string): string {
  const cur = q.trim();
  if (!cur) return t;
  if (` ${cur} `.includes(` ${t} `)) return cur;
  return /\bOR\b/.test(cur) ? `(${cur}) ${t}` : `${cur} ${t}`;
}

/**
 * The third back end of the AST: a predicate over log rows in memory, for
 * live tail (rows are matched as they are accepted, before they reach
 * storage). It mirrors compile-sql.ts's semantics for otel_logs; the test
 * match.int.test.ts runs the same queries through both and compares.
 */
import { levelFromText, type LogRow } from '@jobscope/core';
import type { CompareOp, Node, RangeBound } from './ast.js';
import { canonicalFieldName } from './fields.js';
import { parse } from './parse.js';
import { textTokens } from './text-search.js';
import { parseNumber, parseTime } from './values.js';

export type RowPredicate = (row: LogRow) => boolean;

type Kind = 'string' | 'number' | 'time' | 'level' | 'text' | 'auto';
interface Field { get(r: LogRow): string | undefined; kind: Kind }

const col = (get: (r: LogRow) => string, kind: Kind = 'string'): Field => ({ get, kind });
const FIELDS: Record<string, Field> = {
  job_id: col((r) => r.JobId), machine_id: col((r) => r.MachineId), worker_id: col((r) => r.WorkerId),
  service_type: col((r) => r.ServiceType), connector_id: col((r) => r.ConnectorId), event_type: col((r) => r.EventType),
  dataset: col((r) => r.Dataset), timestamp: col((r) => r.Timestamp, 'time'), level: col((r) => r.SeverityText, 'level'),
  severity: col((r) => String(r.SeverityNumber), 'number'), message: col((r) => r.Body, 'text'), body: col((r) => r.Body, 'text'),
  trace_id: col((r) => r.TraceId), span_id: col((r) => r.SpanId), service: col((r) => r.ServiceName),
  service_name: col((r) => r.ServiceName), scope: col((r) => r.ScopeName),
  duration_ms: col((r) => r.LogAttributes.duration_ms ?? '', 'number'),
};

function field(name: string | null): Field {
  if (name === null) return FIELDS.message!;
  const known = FIELDS[name] ?? FIELDS[canonicalFieldName(name)];
  if (known) return known;
  if (name.startsWith('resource.')) {
    const key = name.slice('resource.'.length);
    return { get: (r) => r.ResourceAttributes[key], kind: 'auto' };
  }
  const key = canonicalFieldName(name);
  return { get: (r) => r.LogAttributes[key], kind: 'auto' };
}

/** Compiles a query (already validated by the SQL compiler) into a row predicate. */
export function compileMatcher(query: string): RowPredicate {
  return build(parse(query));
}

function build(n: Node): RowPredicate {
  switch (n.kind) {
    case 'all': return () => true;
    case 'and': { const cs = n.children.map(build); return (r) => cs.every((c) => c(r)); }
    case 'or': { const cs = n.children.map(build); return (r) => cs.some((c) => c(r)); }
    case 'not': { const c = build(n.child); return (r) => !c(r); }
    case 'exists': { const f = field(n.field); return (r) => (f.get(r) ?? '') !== ''; }
    case 'term': { const f = field(n.field); return (r) => termMatch(f, f.get(r), n.value); }
    case 'wildcard': {
      const f = field(n.field);
      if (f.kind === 'text') {
        const inner = n.parts.filter((p, i) => !(p === '' && (i === 0 || i === n.parts.length - 1)));
        const re = new RegExp(inner.map(escapeRe).join('.*'), 'is');
        return (r) => re.test(f.get(r) ?? '');
      }
      const re = new RegExp(`^${n.parts.map(escapeRe).join('.*')}$`, f.kind === 'level' ? 'is' : 's');
      return (r) => { const v = f.get(r); return v !== undefined && re.test(v); };
    }
    case 'compare': { const f = field(n.field); return (r) => cmp(f, f.get(r), n.op, n.value); }
    case 'range': {
      const f = field(n.field);
      const lo = n.lo; const hi = n.hi;
      return (r) => {
        const v = f.get(r);
        return bound(f, v, lo, '>=', '>') && bound(f, v, hi, '<=', '<');
      };
    }
  }
}

function bound(f: Field, v: string | undefined, b: RangeBound | null, incl: CompareOp, excl: CompareOp): boolean {
  return b === null || cmp(f, v, b.inclusive ? incl : excl, b.value);
}

function termMatch(f: Field, actual: string | undefined, value: string): boolean {
  if (actual === undefined) return false;
  switch (f.kind) {
    case 'text': return textMatches(actual, value);
    case 'level': return actual === (levelFromText(value) ?? value.toLowerCase());
    case 'number': { const a = parseNumber(actual); const b = parseNumber(value); return a !== undefined && a === b; }
    case 'time': { const t = timeNs(value); return t !== undefined && BigInt(actual || '0') === t; }
    case 'auto': {
      const b = parseNumber(value);
      if (b !== undefined) { const a = parseNumber(actual); return a !== undefined && a === b; }
      return actual === value;
    }
    default: return actual === value;
  }
}

function cmp(f: Field, actual: string | undefined, op: CompareOp, value: string): boolean {
  if (actual === undefined || actual === '') return false;
  let a: number | bigint | string;
  let b: number | bigint | string;
  if (f.kind === 'time') {
    const t = timeNs(value);
    if (t === undefined) return false;
    a = BigInt(actual); b = t;
  } else if (f.kind === 'number' || (f.kind === 'auto' && parseNumber(value) !== undefined)) {
    const x = parseNumber(actual); const y = parseNumber(value);
    if (x === undefined || y === undefined) return false;
    a = x; b = y;
  } else {
    a = actual; b = value;
  }
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
  }
}

function timeNs(v: string): bigint | undefined {
  const t = parseTime(v);
  if (t === undefined) return undefined;
  return t.kind === 'instant' ? t.ns : BigInt(Date.now() + t.offsetSeconds * 1000) * 1_000_000n;
}

/** Free text, as text-search.ts does it in SQL: whole tokens, adjacent phrases, or a substring. */
function textMatches(body: string, value: string): boolean {
  const want = textTokens(value.toLowerCase());
  if (want.length === 0) return body.toLowerCase().includes(value.toLowerCase());
  const have = textTokens(body.toLowerCase());
  if (want.length === 1) return have.includes(want[0]!);
  outer: for (let i = 0; i + want.length <= have.length; i++) {
    for (let j = 0; j < want.length; j++) if (have[i + j] !== want[j]) continue outer;
    return true;
  }
  return false;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

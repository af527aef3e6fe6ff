import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import { compileQuery, LOGS_TABLE, SPANS_TABLE, type RenderedSql } from './index.js';
import { HOSTILE } from './test-fixtures.js';


/** The characters compiled SQL may contain (schema text for logs/spans and placeholders). */
const SQL_TEXT = /^[A-Za-z0-9_ ().,<>=!/[\]{}:%+\-*]*$/;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):(String|Float64|Int64)\}/g;

/** Checks the invariants every compiled query keeps, whatever the input. */
function assertSafe(r: RenderedSql, label: string): void {
  assert.match(r.sql, SQL_TEXT, `${label}: unexpected characters in SQL text: ${r.sql}`);
  for (const bad of ["'", '"', '\\', ';', '--', '/*', '*/', '\u0000', '`']) {
    assert.ok(!r.sql.includes(bad), `${label}: SQL contains ${JSON.stringify(bad)}`);
  }
  const used = new Set<string>();
  const stripped = r.sql.replace(PLACEHOLDER, (_m, name: string) => {
    used.add(name);
    return '';
  });
  assert.ok(!stripped.includes('{') && !stripped.includes('}'), `${label}: stray brace in ${r.sql}`);
  assert.deepEqual([...used].sort(), Object.keys(r.params).sort(), `${label}: placeholders and params differ`);
}

const quoted = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;
/** Escapes every ASCII punctuation and space so the value is one bare word. */
const bare = (s: string) => s.replace(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/g, '\\$&');

test('injection: hostile values appear only in params, in every position', () => {
  for (const s of HOSTILE) {
    const queries: Array<[string, (p: Array<string | number>) => boolean]> = [
      [quoted(s), (p) => p.includes(s)],
      [bare(s), (p) => p.includes(s)],
      [`job_id:${quoted(s)}`, (p) => p.includes(s)],
      [`job_id:${bare(s)}`, (p) => p.includes(s)],
      [`-service_type:(${quoted(s)} OR ${bare(s)})`, (p) => p.filter((v) => v === s).length === 2],
      [`${quoted(s)}:${quoted(s)}`, (p) => p.filter((v) => v === s).length === 2],
      [`${quoted(`resource.${s}`)}:x`, (p) => p.includes(s)],
      [`${quoted(s)}:*`, (p) => p.includes(s)],
      [`${quoted(s)}:>${quoted(s)}`, (p) => p.filter((v) => v === s).length === 2],
      [`http.route:[${quoted(s)} TO ${quoted(s)}}`, (p) => p.filter((v) => v === s).length === 2],
      // Logs lowercase level values; on spans `level` is an attribute.
      [`level:${quoted(s)}`, (p) => p.includes(s.toLowerCase()) || p.includes(s)],
      [`job_id:${bare(s)}*`, (p) => p.some((v) => typeof v === 'string' && v.startsWith(s.slice(0, 3)))],
      [`*${bare(s)}*`, (p) => p.some((v) => typeof v === 'string' && v.includes(s.replace(/[\\%_]/g, '\\$&')))],
      [`message:${quoted(s)} OR name:${bare(s)}`, (p) => p.filter((v) => v === s).length === 2],
    ];
    for (const [q, paramsHold] of queries) {
      for (const table of [LOGS_TABLE, SPANS_TABLE]) {
        const label = `${table.name} ${JSON.stringify(q)}`;
        // A prefix other than 'p', so that the value '{p0:String}' cannot coincide with a placeholder.
        const r = compileQuery(q, table, 'zq');
        assertSafe(r, label);
        assert.ok(!r.sql.includes(s), `${label}: value in SQL text`);
        assert.ok(paramsHold(Object.values(r.params)), `${label}: value not in params ${JSON.stringify(r.params)}`);
      }
    }
  }
});

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('injection: random hostile queries compile safely or fail with JS_QUERY_SYNTAX', () => {
  const pieces = [
    ...HOSTILE, 'a', 'job_id:', 'level:', 'duration_ms:', 'resource.', 'timestamp:', ':', '"', '\\', '(', ')', '[', ']', '{', '}',
    ' TO ', ' AND ', ' OR ', ' NOT ', '-', '*', '>', '>=', '<', ' ', '5', '2024-05-01', 'now-1h', "'", ';', '--',
  ];
  const next = rng(20261128);
  let compiled = 0;
  for (let i = 0; i < 3000; i++) {
    let q = '';
    const n = 1 + Math.floor(next() * 8);
    for (let j = 0; j < n; j++) q += pieces[Math.floor(next() * pieces.length)];
    try {
      assertSafe(compileQuery(q, LOGS_TABLE), JSON.stringify(q));
      compiled++;
    } catch (e) {
      if (!(e instanceof JobscopeError) || e.code !== 'JS_QUERY_SYNTAX') {
        assert.fail(`${JSON.stringify(q)} threw ${String(e)}`);
      }
    }
  }
  assert.ok(compiled > 500, `only ${compiled} random queries compiled`);
});

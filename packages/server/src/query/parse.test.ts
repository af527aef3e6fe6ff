import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import { MAX_DEPTH, MAX_QUERY_BYTES, parse } from './parse.js';
import type { Node } from './ast.js';

const t = (value: string, field: string | null = null, pos = 0, quoted = false): Node =>
  ({ kind: 'term', field, value, quoted, pos });

test('parse: AST shapes', () => {
  const cases: Array<[string, Node]> = [
    ['', { kind: 'all' }],
    ['   \t\n', { kind: 'all' }],
    ['*', { kind: 'all' }],
    ['oom', t('oom')],
    ['"CUDA out of memory"', t('CUDA out of memory', null, 0, true)],
    ['level:error', t('error', 'level', 0)],
    ['msg:"a b"', t('a b', 'msg', 0, true)],
    ['"we\'ird key":v', t('v', "we'ird key", 0)],
    ['a b', { kind: 'and', children: [t('a'), t('b', null, 2)] }],
    ['a AND b', { kind: 'and', children: [t('a'), t('b', null, 6)] }],
    ['a and b', { kind: 'and', children: [t('a'), t('b', null, 6)] }],
    ['a OR b c', { kind: 'or', children: [t('a'), { kind: 'and', children: [t('b', null, 5), t('c', null, 7)] }] }],
    ['a b or c', { kind: 'or', children: [{ kind: 'and', children: [t('a'), t('b', null, 2)] }, t('c', null, 7)] }],
    ['(a OR b) c', { kind: 'and', children: [{ kind: 'or', children: [t('a', null, 1), t('b', null, 6)] }, t('c', null, 9)] }],
    ['a (b c) d', { kind: 'and', children: [t('a'), t('b', null, 3), t('c', null, 5), t('d', null, 8)] }],
    ['-a', { kind: 'not', child: t('a', null, 1) }],
    ['NOT a', { kind: 'not', child: t('a', null, 4) }],
    ['not not a', { kind: 'not', child: { kind: 'not', child: t('a', null, 8) } }],
    ['-(a b)', { kind: 'not', child: { kind: 'and', children: [t('a', null, 2), t('b', null, 4)] } }],
    ['job-123', t('job-123')],
    ['a-b -c', { kind: 'and', children: [t('a-b'), { kind: 'not', child: t('c', null, 5) }] }],
    ['job_id:job-12*', { kind: 'wildcard', field: 'job_id', parts: ['job-12', ''], pos: 0 }],
    ['*oom*', { kind: 'wildcard', field: null, parts: ['', 'oom', ''], pos: 0 }],
    ['x:a*b*', { kind: 'wildcard', field: 'x', parts: ['a', 'b', ''], pos: 0 }],
    ['x:a\\*b', t('a*b', 'x', 0)],
    ['x:"a*b"', t('a*b', 'x', 0, true)],
    ['x:*', { kind: 'exists', field: 'x', pos: 0 }],
    ['d:>5000', { kind: 'compare', field: 'd', op: '>', value: '5000', pos: 0 }],
    ['d:>=5', { kind: 'compare', field: 'd', op: '>=', value: '5', pos: 0 }],
    ['d:<"a b"', { kind: 'compare', field: 'd', op: '<', value: 'a b', pos: 0 }],
    ['d:<=-1.5', { kind: 'compare', field: 'd', op: '<=', value: '-1.5', pos: 0 }],
    ['ERROR\\: disk', { kind: 'and', children: [t('ERROR:'), t('disk', null, 8)] }],
    ['ts:>2024-05-01T10:00:00Z', { kind: 'compare', field: 'ts', op: '>', value: '2024-05-01T10:00:00Z', pos: 0 }],
    ['d:[100 TO 500]', { kind: 'range', field: 'd', lo: { value: '100', inclusive: true }, hi: { value: '500', inclusive: true }, pos: 0 }],
    ['d:{1 to 2]', { kind: 'range', field: 'd', lo: { value: '1', inclusive: false }, hi: { value: '2', inclusive: true }, pos: 0 }],
    ['d:[* TO 2}', { kind: 'range', field: 'd', lo: null, hi: { value: '2', inclusive: false }, pos: 0 }],
    ['d:["*" TO *]', { kind: 'range', field: 'd', lo: { value: '*', inclusive: true }, hi: null, pos: 0 }],
    ['level:(error OR fatal)', { kind: 'or', children: [t('error', 'level', 7), t('fatal', 'level', 16)] }],
    ['level:(-debug)', { kind: 'not', child: t('debug', 'level', 8) }],
    ['s:(a (b OR c*))', {
      kind: 'and', children: [t('a', 's', 3), { kind: 'or', children: [t('b', 's', 6), { kind: 'wildcard', field: 's', parts: ['c', ''], pos: 11 }] }],
    }],
    ['url:http://x/y?q=1', t('http://x/y?q=1', 'url', 0)],
    ['path:C:\\\\tmp', t('C:\\tmp', 'path', 0)],
    ['a\\ b', t('a b')],
    ['\\-x', t('-x')],
    ['\\AND', t('AND')],
    ['"AND" "or"', { kind: 'and', children: [t('AND', null, 0, true), t('or', null, 6, true)] }],
    ['ORACLE notable', { kind: 'and', children: [t('ORACLE'), t('notable', null, 7)] }],
    ['"say \\"hi\\" \\\\o/"', t('say "hi" \\o/', null, 0, true)],
    ['a\\:b', t('a:b')],
    ['x:""', t('', 'x', 0, true)],
    ['NOT:x', t('x', 'NOT', 0)],
  ];
  for (const [q, want] of cases) assert.deepEqual(parse(q), want, q);
});

test('parse: syntax errors name the position and what was expected', () => {
  const cases: Array<[string, string]> = [
    ['a)', "unexpected ')' at 1: no matching '('"],
    ['(a', "unexpected end of query at 2, expected ')' to close the '(' at 0"],
    ['(a OR b))', "unexpected ')' at 8: no matching '('"],
    ['service_type:x level:error)', "unexpected ')' at 26: no matching '('"],
    ['()', "unexpected ')' at 1, expected a term"],
    ['a AND', 'unexpected end of query at 5, expected a term'],
    ['a OR OR b', "unexpected 'OR' at 5, expected a term"],
    ['OR a', "unexpected 'OR' at 0, expected a term"],
    ['a AND )', "unexpected ')' at 6, expected a term"],
    ['NOT', 'unexpected end of query at 3, expected a term'],
    ['-', "expected a term after '-' at 0"],
    ['a - b', "expected a term after '-' at 2"],
    ['field:', "expected a value after 'field:' at 6; to search for the text, quote it or escape the colon ('field\\:')"],
    ['field:)', "expected a value after 'field:' at 6; to search for the text, quote it or escape the colon ('field\\:')"],
    ['ERROR: disk full', "expected a value after 'ERROR:' at 6; to search for the text, quote it or escape the colon ('ERROR\\:')"],
    [':x', "expected a field name before ':' at 0"],
    ['"":x', "expected a field name before ':' at 0"],
    ['a*:b', 'wildcards are not allowed in field names (at 0)'],
    ['"abc', 'unterminated quoted phrase starting at 0'],
    ['x "abc\\"', 'unterminated quoted phrase starting at 2'],
    ['a\\', "dangling '\\' at 1, escape a backslash as '\\\\'"],
    ['foo"bar', `unexpected '"' at 3, put a space before a quoted phrase or escape it as '\\"'`],
    ['d:>', "expected a value after '>' at 3"],
    ['d:>=)', "unexpected ')' at 4, expected a value after '>='"],
    ['d:>a*', 'wildcards are not allowed in comparisons (at 3)'],
    ['d:[1 2]', "expected 'TO' at 5"],
    ['d:[1 TO', 'expected a range bound at 7'],
    ['d:[1 TO 2', "expected ']' or '}' at 9"],
    ['d:[1 TO 2)', "expected ']' or '}' at 9"],
    ['d:[ TO 2]', "expected 'TO' at 7"],
    ['d:[1* TO 2]', 'wildcards are not allowed in ranges (at 3)'],
    ['a:(b:c)', "unexpected field 'b:' at 3 inside the group of 'a:'"],
    ['a:(b', "unexpected end of query at 4, expected ')' to close the '(' at 2"],
  ];
  for (const [q, message] of cases) {
    assert.throws(() => parse(q), (e: unknown) => {
      assert.ok(e instanceof JobscopeError, q);
      assert.equal(e.code, 'JS_QUERY_SYNTAX', q);
      assert.equal(e.status, 400);
      assert.equal(e.message, message, q);
      return true;
    });
  }
});

test('parse: length and nesting are bounded', () => {
  assert.doesNotThrow(() => parse('x'.repeat(MAX_QUERY_BYTES)));
  assert.throws(() => parse('x'.repeat(MAX_QUERY_BYTES + 1)), /query is too long: 4097 bytes, the limit is 4096/);
  // Bytes, not characters: 2 bytes per 'é'.
  assert.throws(() => parse('é'.repeat(MAX_QUERY_BYTES / 2 + 1)), /query is too long/);

  const nested = (n: number) => `${'('.repeat(n)}a${')'.repeat(n)}`;
  assert.deepEqual(parse(nested(MAX_DEPTH)), t('a', null, MAX_DEPTH));
  assert.throws(() => parse(nested(MAX_DEPTH + 1)), new RegExp(`query nests too deeply at ${MAX_DEPTH}: at most ${MAX_DEPTH} levels`));
  assert.throws(() => parse(`${'NOT '.repeat(MAX_DEPTH + 1)}a`), /query nests too deeply at 128/);
  assert.throws(() => parse(`${'-'.repeat(MAX_DEPTH + 1)}a`), /query nests too deeply/);
  // Depth is nesting, not count: many sibling groups are fine.
  assert.doesNotThrow(() => parse('(a) '.repeat(200)));
});

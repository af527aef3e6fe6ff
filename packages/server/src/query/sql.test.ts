import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, Param, param, render, schemaExpr, Sql, sql } from './sql.js';

test('sql: fragments compose and parameters are numbered once, at render', () => {
  const col = schemaExpr('JobId');
  const a = sql`${col} = ${param.string('job-1')}`;
  const b = sql`SeverityNumber >= ${param.float64(13)}`;
  const where = join([a, b], sql` AND `);
  const full = sql`SELECT * FROM otel_logs WHERE ${where} AND Timestamp > fromUnixTimestamp64Nano(${param.int64(5n)})`;
  assert.deepEqual(render(full), {
    sql: 'SELECT * FROM otel_logs WHERE JobId = {p0:String} AND SeverityNumber >= {p1:Float64} AND Timestamp > fromUnixTimestamp64Nano({p2:Int64})',
    params: { p0: 'job-1', p1: 13, p2: '5' },
  });
  assert.deepEqual(render(where, 'q'), {
    sql: 'JobId = {q0:String} AND SeverityNumber >= {q1:Float64}',
    params: { q0: 'job-1', q1: 13 },
  });
  // One Param object used twice gets one name.
  const k = param.string('key');
  assert.deepEqual(render(sql`m[${k}] > 1 AND m[${k}] < 2`), { sql: 'm[{p0:String}] > 1 AND m[{p0:String}] < 2', params: { p0: 'key' } });
  assert.deepEqual(render(join([], sql` AND `)), { sql: '', params: {} });
});

test('sql: there is no way to interpolate raw text', () => {
  const evil = "'); DROP TABLE otel_logs; --";
  // Type error and runtime error alike.
  // @ts-expect-error plain strings are not interpolable
  assert.throws(() => sql`x = ${evil}`, /only Sql fragments and param/);
  // @ts-expect-error numbers neither
  assert.throws(() => sql`x = ${1}`, /only Sql fragments and param/);
  // Called as a function with a forged strings array.
  const forged = [evil] as unknown as TemplateStringsArray;
  assert.throws(() => sql(forged), /tagged template/);
  // Constructors are private at compile time and guarded at run time.
  const SqlCtor = Sql as unknown as new (...a: unknown[]) => Sql;
  assert.throws(() => new SqlCtor([evil]), /built with sql``/);
  assert.throws(() => new SqlCtor(Symbol('sql.ts'), [evil]), /built with sql``/);
  const ParamCtor = Param as unknown as new (...a: unknown[]) => Param;
  assert.throws(() => new ParamCtor(Symbol('sql.ts'), 'String); DROP', 'x'), /built with sql``/);
  // Fragments are frozen.
  const f = sql`a`;
  assert.throws(() => (f.chunks as string[]).push(evil), TypeError);
  assert.ok(Object.isFrozen(param.string('x')));
  // Parameter prefixes are identifiers.
  assert.throws(() => render(f, 'p}; DROP'), /bad parameter prefix/);
  assert.throws(() => render(f, ''), /bad parameter prefix/);
});

test('sql: param constructors check their values', () => {
  assert.throws(() => param.string(5 as unknown as string), TypeError);
  assert.throws(() => param.float64(Number.NaN), TypeError);
  assert.throws(() => param.float64(Infinity), TypeError);
  assert.throws(() => param.float64('1' as unknown as number), TypeError);
  assert.equal(param.int64(-5).value, '-5');
  assert.equal(param.int64('9223372036854775807').value, '9223372036854775807');
  assert.throws(() => param.int64('9223372036854775808'), /out of range/);
  assert.throws(() => param.int64('1 OR 1'), TypeError);
  assert.throws(() => param.int64(1.5), TypeError);
});

test('schemaExpr: plain column expressions only', () => {
  const ok: Array<[string, string]> = [
    ['JobId', 'JobId'],
    ['argMaxMerge(Status)', 'argMaxMerge(Status)'],
    ['Duration / 1e6', '(Duration / 1e6)'],
    ['f(a) + g(b)', '(f(a) + g(b))'],
    ['greatest(max(MaxAttempt), sum(Starts))', 'greatest(max(MaxAttempt), sum(Starts))'],
    ["dateDiff('millisecond', min(a), min(b))", "dateDiff('millisecond', min(a), min(b))"],
    ["LogAttributes['model']", "(LogAttributes['model'])"],
    ['`odd.name`', '(`odd.name`)'],
  ];
  for (const [input, out] of ok) assert.equal(render(schemaExpr(input)).sql, out, input);
  const bad = [
    '', '  ', "x = 'a' OR 'b", "'a\\'b'", '"x"', 'x; DROP TABLE t', 'x -- c', 'x /* c */', 'x # c',
    '{p0:String}', "f('}')", "f('a''b')", 'x\\y', '`a b`', "'--'",
  ];
  for (const input of bad) assert.throws(() => schemaExpr(input), /schemaExpr: not a plain column expression/, input);
});

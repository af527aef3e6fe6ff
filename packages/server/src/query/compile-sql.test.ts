import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import { compileQuery, JOB_STATES_TABLE, jobStatesTable, LOGS_TABLE, SPANS_TABLE, type TableDescriptor } from './index.js';

type Case = [query: string, sql: string, params: Record<string, string | number>];

const tok = (n: number, col = 'Body') => `hasAllTokens(lowerUTF8(${col}), lowerUTF8({p${n}:String}))`;
const phrase = (n: number) => `hasPhrase(lowerUTF8(Body), lowerUTF8({p${n}:String}))`;
const like = (n: number) => `lowerUTF8(Body) LIKE lowerUTF8({p${n}:String})`;
const attrNum = (k: number) => `toFloat64OrNull(LogAttributes[{p${k}:String}])`;

function check(table: TableDescriptor, cases: readonly Case[]): void {
  for (const [query, sql, params] of cases) {
    assert.deepEqual(compileQuery(query, table), { sql, params }, query);
  }
}

test('compile: the brief example', () => {
  check(LOGS_TABLE, [[
    'service_type:comfyui level:error "CUDA out of memory" -event_type:job_progress duration_ms:>5000 job_id:job-123*',
    'ServiceType = {p0:String} AND SeverityText = {p1:String} AND ' + phrase(2) + ' AND NOT (EventType = {p3:String})' +
      ` AND ifNull(${attrNum(4)} > {p5:Float64}, 0) AND startsWith(JobId, {p6:String})`,
    { p0: 'comfyui', p1: 'error', p2: 'CUDA out of memory', p3: 'job_progress', p4: 'duration_ms', p5: 5000, p6: 'job-123' },
  ]]);
});

test('compile: logs, field by field', () => {
  check(LOGS_TABLE, [
    ['', 'true', {}],
    ['*', 'true', {}],
    ['-*', 'NOT (true)', {}],
    // Level words are lowercase canonical: case and aliases fold.
    ['level:ERROR', 'SeverityText = {p0:String}', { p0: 'error' }],
    ['level:warning', 'SeverityText = {p0:String}', { p0: 'warn' }],
    ['level:WARN*', 'startsWith(SeverityText, {p0:String})', { p0: 'warn' }],
    ['severity:17', 'SeverityNumber = {p0:Float64}', { p0: 17 }],
    ['severity:>=13', 'SeverityNumber >= {p0:Float64}', { p0: 13 }],
    ['severity:*', 'isNotNull(SeverityNumber)', {}],
    // Aliases from @jobscope/core.
    ['jobId:job-1', 'JobId = {p0:String}', { p0: 'job-1' }],
    ['job.id:job-1', 'JobId = {p0:String}', { p0: 'job-1' }],
    ['service.type:comfyui', 'ServiceType = {p0:String}', { p0: 'comfyui' }],
    ['service:api', 'ServiceName = {p0:String}', { p0: 'api' }],
    ['trace_id:abc', 'TraceId = {p0:String}', { p0: 'abc' }],
    ['scope:x', 'ScopeName = {p0:String}', { p0: 'x' }],
    // Wildcards on string fields.
    ['job_id:*-123', 'endsWith(JobId, {p0:String})', { p0: '-123' }],
    ['job_id:*12*', 'position(JobId, {p0:String}) > 0', { p0: '12' }],
    ['job_id:job-*-x', 'JobId LIKE {p0:String}', { p0: 'job-%-x' }],
    ['job_id:a_b*c%', 'JobId LIKE {p0:String}', { p0: 'a\\_b%c\\%' }],
    ['job_id:*', 'notEmpty(JobId)', {}],
    // Negation and boolean structure.
    ['NOT event_type:x', 'NOT (EventType = {p0:String})', { p0: 'x' }],
    ['a AND b OR c AND d', `(${tok(0)} AND ${tok(1)}) OR (${tok(2)} AND ${tok(3)})`, { p0: 'a', p1: 'b', p2: 'c', p3: 'd' }],
    ['(a OR b) -c', `(${tok(0)} OR ${tok(1)}) AND NOT (${tok(2)})`, { p0: 'a', p1: 'b', p2: 'c' }],
    ['-level:(debug OR trace)', 'NOT (SeverityText = {p0:String} OR SeverityText = {p1:String})', { p0: 'debug', p1: 'trace' }],
    ['service_type:(comfyui a1111)', 'ServiceType = {p0:String} AND ServiceType = {p1:String}', { p0: 'comfyui', p1: 'a1111' }],
    // Known numeric attribute (logs keep duration_ms in LogAttributes), with aliases.
    ['duration_ms:5000', `ifNull(${attrNum(0)} = {p1:Float64}, 0)`, { p0: 'duration_ms', p1: 5000 }],
    ['duration:>1.5e3', `ifNull(${attrNum(0)} > {p1:Float64}, 0)`, { p0: 'duration_ms', p1: 1500 }],
    ['durationMs:<=10', `ifNull(${attrNum(0)} <= {p1:Float64}, 0)`, { p0: 'duration_ms', p1: 10 }],
    ['duration_ms:[100 TO 500]', `ifNull((${attrNum(0)} >= {p1:Float64} AND ${attrNum(0)} <= {p2:Float64}), 0)`, { p0: 'duration_ms', p1: 100, p2: 500 }],
    ['duration_ms:{100 TO 500]', `ifNull((${attrNum(0)} > {p1:Float64} AND ${attrNum(0)} <= {p2:Float64}), 0)`, { p0: 'duration_ms', p1: 100, p2: 500 }],
    ['duration_ms:[100 TO *]', `ifNull(${attrNum(0)} >= {p1:Float64}, 0)`, { p0: 'duration_ms', p1: 100 }],
    ['duration_ms:[* TO *]', 'mapContains(LogAttributes, {p0:String})', { p0: 'duration_ms' }],
    // Any other field is a LogAttributes key; numeric when the value is a number.
    ['http.status_code:>=500', `ifNull(${attrNum(0)} >= {p1:Float64}, 0)`, { p0: 'http.status_code', p1: 500 }],
    ['http.method:>=GET', 'LogAttributes[{p0:String}] >= {p1:String}', { p0: 'http.method', p1: 'GET' }],
    ['http.method:GET', 'LogAttributes[{p0:String}] = {p1:String}', { p0: 'http.method', p1: 'GET' }],
    ['http.method:GE*', 'startsWith(LogAttributes[{p0:String}], {p1:String})', { p0: 'http.method', p1: 'GE' }],
    ['path:C:\\\\tmp', 'LogAttributes[{p0:String}] = {p1:String}', { p0: 'path', p1: 'C:\\tmp' }],
    ['resource.host.name:gpu-1', 'ResourceAttributes[{p0:String}] = {p1:String}', { p0: 'host.name', p1: 'gpu-1' }],
    ['resource.k8s.pod:*', 'mapContains(ResourceAttributes, {p0:String})', { p0: 'k8s.pod' }],
    // Times.
    ['timestamp:>2024-05-01T10:00:00Z', 'Timestamp > fromUnixTimestamp64Nano({p0:Int64})', { p0: '1714557600000000000' }],
    ['timestamp:>2024-05-01T12:00:00.5+02:00', 'Timestamp > fromUnixTimestamp64Nano({p0:Int64})', { p0: '1714557600500000000' }],
    ['timestamp:>1714521600000', 'Timestamp > fromUnixTimestamp64Nano({p0:Int64})', { p0: '1714521600000000000' }],
    ['timestamp:>=now-15m', 'Timestamp >= subtractSeconds(now64(9), {p0:Int64})', { p0: '900' }],
    ['timestamp:<now+1h', 'Timestamp < addSeconds(now64(9), {p0:Int64})', { p0: '3600' }],
    ['timestamp:<now', 'Timestamp < now64(9)', {}],
    ['timestamp:2024-05-01', '(Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64}))',
      { p0: '1714521600000000000', p1: '1714608000000000000' }],
    ['timestamp:[2024-05-01 TO 2024-05-02}', '(Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64}))',
      { p0: '1714521600000000000', p1: '1714608000000000000' }],
  ]);
});

test('compile: free text and the message field', () => {
  check(LOGS_TABLE, [
    ['oom', tok(0), { p0: 'oom' }],
    ['OOM', tok(0), { p0: 'OOM' }],
    ['job-123', phrase(0), { p0: 'job-123' }],
    ['"CUDA out of memory"', phrase(0), { p0: 'CUDA out of memory' }],
    ['"  memory. "', tok(0), { p0: '  memory. ' }],
    ['"->"', 'positionCaseInsensitiveUTF8(Body, {p0:String}) > 0', { p0: '->' }],
    ['""', 'true', {}],
    ['*oom*', like(0), { p0: '%oom%' }],
    ['OOMK*', like(0), { p0: '%OOMK%' }],
    ['50\\%*', like(0), { p0: '%50\\%%' }],
    ['a*b_c', like(0), { p0: '%a%b\\_c%' }],
    ['a\\ b', phrase(0), { p0: 'a b' }],
    ['\\-x', tok(0), { p0: '-x' }],
    ['"AND"', tok(0), { p0: 'AND' }],
    ['message:oom', tok(0), { p0: 'oom' }],
    ['body:"out of memory"', phrase(0), { p0: 'out of memory' }],
    ['-message:*oom*', `NOT (${like(0)})`, { p0: '%oom%' }],
    ['message:""', 'empty(Body)', {}],
    ['message:*', 'notEmpty(Body)', {}],
  ]);
});

test('compile: spans', () => {
  check(SPANS_TABLE, [
    ['name:comfyui.execute duration_ms:>5000 status:error',
      "SpanName = {p0:String} AND (Duration / 1e6) > {p1:Float64} AND lowerUTF8(replaceOne(StatusCode, 'STATUS_CODE_', '')) = {p2:String}",
      { p0: 'comfyui.execute', p1: 5000, p2: 'error' }],
    ['duration:[1 TO 2]', '((Duration / 1e6) >= {p0:Float64} AND (Duration / 1e6) <= {p1:Float64})', { p0: 1, p1: 2 }],
    ['kind:server*', "startsWith(lowerUTF8(replaceOne(SpanKind, 'SPAN_KIND_', '')), {p0:String})", { p0: 'server' }],
    ['span_kind:SERVER', "lowerUTF8(replaceOne(SpanKind, 'SPAN_KIND_', '')) = {p0:String}", { p0: 'server' }],
    ['kind:SPAN_KIND_SERV*', "startsWith(lowerUTF8(replaceOne(SpanKind, 'SPAN_KIND_', '')), {p0:String})", { p0: 'serv' }],
    ['span_kind:SPAN_KIND_SERVER', "lowerUTF8(replaceOne(SpanKind, 'SPAN_KIND_', '')) = {p0:String}", { p0: 'server' }],
    ['status:(ok OR unset)', "lowerUTF8(replaceOne(StatusCode, 'STATUS_CODE_', '')) = {p0:String} OR lowerUTF8(replaceOne(StatusCode, 'STATUS_CODE_', '')) = {p1:String}", { p0: 'ok', p1: 'unset' }],
    ['status:STATUS_CODE_ERROR', "lowerUTF8(replaceOne(StatusCode, 'STATUS_CODE_', '')) = {p0:String}", { p0: 'error' }],
    ['execute', tok(0, 'SpanName'), { p0: 'execute' }],
    ['http.route:/api/*', 'startsWith(SpanAttributes[{p0:String}], {p1:String})', { p0: 'http.route', p1: '/api/' }],
    ['parent_span_id:""', 'ParentSpanId = {p0:String}', { p0: '' }],
    ['jobId:j1 machine_id:m1', 'JobId = {p0:String} AND MachineId = {p1:String}', { p0: 'j1', p1: 'm1' }],
  ]);
});

test('compile: job states (HAVING over aggregate expressions)', () => {
  check(JOB_STATES_TABLE, [
    ['status:FAILED attempts:>1 -error_type:timeout',
      'argMaxMerge(Status) = {p0:String} AND greatest(max(MaxAttempt), sum(Starts)) > {p1:Float64} AND NOT (argMaxIfMerge(ErrorType) = {p2:String})',
      { p0: 'failed', p1: 1, p2: 'timeout' }],
    ['model:sdxl*', 'startsWith(argMaxIfMerge(Model), {p0:String})', { p0: 'sdxl' }],
  ]);
  // Expressions the lead provides: types follow the names.
  const custom = jobStatesTable({ status: 'argMax(Status, Ts)', finished_at: 'max(FinishedAt)', retries: 'sum(Retries)', note: 'any(Note)' });
  check(custom, [
    ['status:Completed', 'argMax(Status, Ts) = {p0:String}', { p0: 'completed' }],
    ['finished_at:>=2024-05-01T00:00:00Z', 'ifNull(max(FinishedAt) >= fromUnixTimestamp64Nano({p0:Int64}), 0)', { p0: '1714521600000000000' }],
    ['retries:[1 TO 3]', '(sum(Retries) >= {p0:Float64} AND sum(Retries) <= {p1:Float64})', { p0: 1, p1: 3 }],
    ['note:x', 'any(Note) = {p0:String}', { p0: 'x' }],
  ]);
  // The nullable numbers get ifNull so that NOT is a complement.
  const r = compileQuery('-queue_wait_ms:>100', JOB_STATES_TABLE);
  assert.match(r.sql, /^NOT \(ifNull\(if\(isNull\(min\(SubmittedAt\)\).* > \{p0:Float64\}, 0\)\)$/);
});

test('compile: the parameter prefix', () => {
  assert.deepEqual(compileQuery('job_id:a b', LOGS_TABLE, 'q'), {
    sql: `JobId = {q0:String} AND ${tok(1).replace('p1', 'q1')}`,
    params: { q0: 'a', q1: 'b' },
  });
  assert.throws(() => compileQuery('a', LOGS_TABLE, '1; DROP'), /bad parameter prefix/);
});

test('compile: values of the wrong type and unsupported combinations are 400s', () => {
  const cases: Array<[TableDescriptor, string, string]> = [
    [LOGS_TABLE, 'duration_ms:abc', "'duration_ms' expects a number, got 'abc' at 0"],
    [LOGS_TABLE, 'severity:>0x10', "'severity' expects a number, got '0x10' at 0"],
    [LOGS_TABLE, 'severity:[1 TO Infinity]', "'severity' expects a number, got 'Infinity' at 0"],
    [LOGS_TABLE, 'severity:err*', "wildcards do not apply to number field 'severity' (at 0)"],
    [LOGS_TABLE, 'timestamp:yesterday', "'timestamp' expects a time (2024-05-01, 2024-05-01T10:00:00Z, epoch, now-15m), got 'yesterday' at 0"],
    [LOGS_TABLE, 'timestamp:>2024-02-30', "'timestamp' expects a time (2024-05-01, 2024-05-01T10:00:00Z, epoch, now-15m), got '2024-02-30' at 0"],
    [LOGS_TABLE, 'timestamp:2024*', "wildcards do not apply to time field 'timestamp' (at 0)"],
    [LOGS_TABLE, 'message:>5', "comparisons do not apply to text field 'message' (at 0)"],
    [LOGS_TABLE, 'resource.:x', "expected a key after 'resource.' at 0"],
    [JOB_STATES_TABLE, 'oom', 'free text is not supported for job_states (at 0); use field:value'],
    [JOB_STATES_TABLE, 'status:failed *oom*', 'free text is not supported for job_states (at 14); use field:value'],
    [JOB_STATES_TABLE, 'colour:red', "unknown field 'colour' at 0 for job_states; known fields: attempts, duration_ms, error_type, job_id, machine_id, model, queue_wait_ms, service_type, status, trace_id, worker_id"],
  ];
  for (const [table, q, message] of cases) {
    assert.throws(() => compileQuery(q, table), (e: unknown) => {
      assert.ok(e instanceof JobscopeError && e.code === 'JS_QUERY_SYNTAX', q);
      assert.equal(e.message, message, q);
      return true;
    });
  }
});

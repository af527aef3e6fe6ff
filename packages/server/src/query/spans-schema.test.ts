/** The span fields the trace API relies on (api/spans.ts, api/service-map.ts), compiled. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobscopeError } from '@jobscope/core';
import { compileQuery, LOGS_TABLE, SPANS_TABLE } from './index.js';

const MODEL = "if(SpanAttributes['model'] != '', SpanAttributes['model'], SpanAttributes['gen_ai.request.model'])";
const CONNECTOR = "if(SpanAttributes['connector_id'] != '', SpanAttributes['connector_id'], ResourceAttributes['connector_id'])";

test('spans: model reads the canonical key or gen_ai.request.model, under either name', () => {
  for (const q of ['model:gpt-4o', 'gen_ai.request.model:gpt-4o', 'model_name:gpt-4o']) {
    assert.deepEqual(compileQuery(q, SPANS_TABLE), { sql: `${MODEL} = {p0:String}`, params: { p0: 'gpt-4o' } }, q);
  }
  assert.deepEqual(compileQuery('model:gpt-4*', SPANS_TABLE), { sql: `startsWith(${MODEL}, {p0:String})`, params: { p0: 'gpt-4' } });
  assert.deepEqual(compileQuery('model:*', SPANS_TABLE), { sql: `notEmpty(${MODEL})`, params: {} });
});

test('spans: connector_id falls back to the resource; scope is the instrumentation scope', () => {
  assert.deepEqual(compileQuery('connector_id:comfyui-local scope:jobscope', SPANS_TABLE), {
    sql: `${CONNECTOR} = {p0:String} AND ScopeName = {p1:String}`, params: { p0: 'comfyui-local', p1: 'jobscope' },
  });
});

test('spans: dotted attribute names are span attributes, keys bound as parameters', () => {
  assert.deepEqual(compileQuery('messaging.system:redis gen_ai.system:openai http.response.status_code:>=500', SPANS_TABLE), {
    sql: 'SpanAttributes[{p0:String}] = {p1:String} AND SpanAttributes[{p2:String}] = {p3:String} AND ifNull(toFloat64OrNull(SpanAttributes[{p4:String}]) >= {p5:Float64}, 0)',
    params: { p0: 'messaging.system', p1: 'redis', p2: 'gen_ai.system', p3: 'openai', p4: 'http.response.status_code', p5: 500 },
  });
  assert.deepEqual(compileQuery('resource.host.name:gpu-1', SPANS_TABLE), {
    sql: 'ResourceAttributes[{p0:String}] = {p1:String}', params: { p0: 'host.name', p1: 'gpu-1' },
  });
});

test('spans: the brief forms compile; an injection attempt stays a parameter', () => {
  const r = compileQuery(`service:api name:"x') OR 1=1 --" duration_ms:>500 status:error job_id:job-1 kind:consumer`, SPANS_TABLE);
  assert.equal(r.sql, 'ServiceName = {p0:String} AND SpanName = {p1:String} AND (Duration / 1e6) > {p2:Float64}'
    + " AND lowerUTF8(replaceOne(StatusCode, 'STATUS_CODE_', '')) = {p3:String} AND JobId = {p4:String} AND lowerUTF8(replaceOne(SpanKind, 'SPAN_KIND_', '')) = {p5:String}");
  assert.deepEqual(r.params, { p0: 'api', p1: "x') OR 1=1 --", p2: 500, p3: 'error', p4: 'job-1', p5: 'consumer' });
  assert.throws(() => compileQuery('duration_ms:slow', SPANS_TABLE), (e: unknown) => e instanceof JobscopeError && e.code === 'JS_QUERY_SYNTAX');
});

test('logs are unchanged by the span fields: model and connector_id stay what they were', () => {
  assert.deepEqual(compileQuery('model:sdxl', LOGS_TABLE), { sql: 'LogAttributes[{p0:String}] = {p1:String}', params: { p0: 'model', p1: 'sdxl' } });
  assert.deepEqual(compileQuery('connector_id:c1', LOGS_TABLE), { sql: 'ConnectorId = {p0:String}', params: { p0: 'c1' } });
});

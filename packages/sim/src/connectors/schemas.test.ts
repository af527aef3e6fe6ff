/**
 * Every service type logs its schema's fields, typed as the schema says, with
 * no schema_errors (neither the logger's nor the server-side validator's),
 * and reports progress 0 → 100 step by step to the log and to the queue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMAS, schemaNameFor, validate, type FieldSpec } from '@jobscope/core/schemas';
import { classifyError } from '@jobscope/sdk';
import { connectorFor, SERVICE_TYPES } from './registry.js';
import { runJob, runMany, type JobRun } from './testkit.js';

const JOBS = 24;

function typeOk(spec: FieldSpec, v: unknown): boolean {
  switch (spec.type) {
    case 'string':
      return typeof v === 'string' && v !== '';
    case 'integer':
      return Number.isInteger(v) && (spec.min === undefined || (v as number) >= spec.min) && (spec.max === undefined || (v as number) <= spec.max);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && (spec.min === undefined || v >= spec.min) && (spec.max === undefined || v <= spec.max);
    case 'boolean':
      return typeof v === 'boolean';
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
}

const runs = new Map<string, JobRun[]>();
async function runsFor(serviceType: string): Promise<JobRun[]> {
  let r = runs.get(serviceType);
  if (r === undefined) runs.set(serviceType, (r = await runMany(connectorFor(serviceType), JOBS, { prefix: `schema-${serviceType}` })));
  return r;
}

test('connectorFor: one connector per service type, rest for anything else', () => {
  assert.deepEqual([...SERVICE_TYPES], ['comfyui', 'openai-text', 'openai-image', 'a1111', 'simulation', 'rest']);
  for (const t of SERVICE_TYPES) {
    const c = connectorFor(t);
    assert.equal(c.serviceType, t);
    assert.ok(c.connectorId.length > 0);
    assert.ok(c.models.length >= 3, t);
  }
  assert.equal(connectorFor('openai').serviceType, 'openai-text');
  assert.equal(connectorFor('replicate').serviceType, 'replicate');
  assert.equal(connectorFor('replicate').connectorId, 'replicate-http');
  assert.equal(connectorFor('automatic1111').serviceType, 'a1111');
});

for (const serviceType of [...SERVICE_TYPES, 'replicate']) {
  test(`${serviceType}: every schema field, typed, no schema_errors`, async () => {
    const all = await runsFor(serviceType);
    const schema = SCHEMAS[schemaNameFor(serviceType)];
    const seen = new Set<string>();
    for (const run of all) {
      assert.equal(run.schemaErrors, 0);
      for (const rec of run.records) {
        assert.equal(rec.schema_errors, undefined, JSON.stringify(rec));
        assert.equal(rec.service_type, serviceType);
        assert.equal(rec.job_id, run.records[0].job_id);
        const { time: _t, level: _l, msg: _m, ...fields } = rec;
        assert.equal(validate(serviceType, fields).schema_errors, undefined, JSON.stringify(rec));
        for (const [name, spec] of Object.entries(schema.fields)) {
          if (!(name in rec)) continue;
          seen.add(name);
          assert.ok(typeOk(spec, rec[name]), `${name} = ${JSON.stringify(rec[name])} is not a valid ${spec.type}`);
        }
      }
    }
    assert.deepEqual(Object.keys(schema.fields).filter((f) => !seen.has(f)), [], 'schema fields never logged');
  });

  test(`${serviceType}: progress 0 → 100 with steps, in the log and on the queue`, async () => {
    const ok = (await runsFor(serviceType)).filter((r) => r.result.ok);
    assert.ok(ok.length >= JOBS * 0.75, `only ${ok.length} of ${JOBS} succeeded`);
    for (const run of ok) {
      const events = run.records.filter((r) => r.event_type === 'job_progress');
      assert.ok(events.length >= 3, 'a few progress events');
      const total = events[0].total_steps as number;
      assert.ok(total >= 1);
      assert.deepEqual([events[0].progress, events[0].step], [0, 0]);
      assert.deepEqual([events.at(-1)?.progress, events.at(-1)?.step], [100, total]);
      for (let i = 1; i < events.length; i++) {
        assert.equal(events[i].total_steps, total);
        assert.ok((events[i].step as number) > (events[i - 1].step as number), 'steps increase');
        assert.ok((events[i].progress as number) > (events[i - 1].progress as number), 'progress increases');
        assert.equal(events[i].progress, Math.round(((events[i].step as number) / total) * 1000) / 10);
      }
      // The queue heard the same sequence.
      assert.deepEqual(run.progress, events.map((e) => ({ progress: e.progress, step: e.step, totalSteps: e.total_steps })));
    }
  });
}

test('comfyui: websocket message types per node, prompt ids constant, vram by model', async () => {
  const all = await runsFor('comfyui');
  const types = new Set<unknown>();
  for (const run of all.filter((r) => r.result.ok)) {
    for (const r of run.records) types.add(r.websocket_message_type);
    const prompts = new Set(run.records.map((r) => r.prompt_id));
    assert.equal(prompts.size, 1);
    const nodes = run.records.filter((r) => r.websocket_message_type === 'executing').map((r) => r.node_id);
    assert.ok(nodes.includes('3') && nodes.includes('8') && nodes.includes('9'), String(nodes));
  }
  for (const t of ['status', 'execution_start', 'executing', 'progress', 'executed']) assert.ok(types.has(t), t);
  const peak = async (model: string): Promise<number> => {
    const run = await runJob(connectorFor('comfyui'), { seed: `vram-${model}`, model });
    return Math.max(...run.records.map((r) => (typeof r.vram_usage === 'number' ? r.vram_usage : 0)));
  };
  const [sd15, sdxl, flux] = [await peak('sd15'), await peak('sdxl'), await peak('flux-dev')];
  assert.ok(sd15 < sdxl && sdxl < flux, `${sd15} < ${sdxl} < ${flux}`);
});

test('openai-text: total_tokens = prompt + completion; sizes follow the tokens', async () => {
  for (const run of (await runsFor('openai-text')).filter((r) => r.result.ok)) {
    const done = run.records.find((r) => r.total_tokens !== undefined);
    assert.ok(done);
    assert.equal(done.total_tokens, (done.prompt_tokens as number) + (done.completion_tokens as number));
    assert.ok((done.request_size_bytes as number) > (done.prompt_tokens as number) * 3);
    assert.ok((done.response_size_bytes as number) > (done.completion_tokens as number) * 3);
    assert.match(String(done.request_id), /^req_[0-9a-f]{32}$/);
    assert.equal(done.response_time_ms, Math.round(run.result.durationMs));
  }
});

test('simulation: the residual (convergence) decreases to the tolerance', async () => {
  for (const run of (await runsFor('simulation')).filter((r) => r.result.ok)) {
    const c = run.records.filter((r) => r.event_type === 'job_progress').map((r) => r.convergence as number);
    for (let i = 1; i < c.length; i++) assert.ok(c[i] < c[i - 1], `${c[i]} < ${c[i - 1]}`);
    assert.ok(c.at(-1)! < 0.01);
    assert.ok(run.records.some((r) => typeof r.parameters === 'object' && r.simulation_type !== undefined));
  }
});

test('rest: method, endpoint and status of each request; retry_count on retries', async () => {
  const records = (await runsFor('rest')).flatMap((r) => r.records);
  const methods = new Set(records.map((r) => r.http_method).filter(Boolean));
  assert.deepEqual([...methods].sort(), ['GET', 'POST']);
  assert.ok(records.every((r) => r.endpoint === undefined || String(r.endpoint).startsWith('https://')));
  // transient failures are retried: a larger sample shows retry_count > 0 followed by success
  const more = await runMany(connectorFor('rest'), 150, { prefix: 'retries' });
  assert.ok(more.some((r) => r.result.ok && r.records.some((x) => (x.retry_count as number) > 0)), 'a retried request that succeeded');
});

test('a run is reproducible from its seed (records and result)', async () => {
  for (const t of SERVICE_TYPES) {
    const strip = (rs: Array<Record<string, unknown>>): unknown[] => rs.map(({ time: _t, ...r }) => r);
    const a = await runJob(connectorFor(t), { seed: 'same' });
    const b = await runJob(connectorFor(t), { seed: 'same' });
    const c = await runJob(connectorFor(t), { seed: 'other' });
    assert.deepEqual(strip(a.records), strip(b.records), t);
    assert.deepEqual(a.result, b.result, t);
    assert.notDeepEqual(strip(a.records), strip(c.records), t);
  }
});

test('unknown models: image and text connectors fail with a model error', async () => {
  for (const [t, model] of [['comfyui', 'no-such-model'], ['openai-text', 'gpt-5-turbo'], ['openai-image', 'dall-e-9'], ['a1111', 'constructor'], ['comfyui', 'toString']]) {
    const run = await runJob(connectorFor(t), { seed: 'unknown-model', model });
    assert.ok(!run.result.ok, t);
    assert.equal(classifyError(run.result.error), 'model', `${t}: ${run.result.error.message}`);
  }
});

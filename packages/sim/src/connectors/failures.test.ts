/**
 * Failures: each kind's error classifies (SDK classifier) to its intended
 * error_type; base rates are realistic; the connector-side faults do what
 * the fleet expects (gpu_oom, rate_limit, new_error).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorType } from '@jobscope/core';
import { classifyError } from '@jobscope/sdk';
import { createRng, type Rng } from '../random/index.js';
import { a1111Errors } from './a1111.js';
import { comfyuiErrors, COMFYUI_MODELS, GPU_TOTAL_MB } from './comfyui.js';
import { NEW_ERROR_SIGNATURES, connectionRefused, connectionReset, cudaOom, decideFailure, newError, timedOut, type FailureProfile } from './failures.js';
import { FaultSet } from './faults.js';
import { openaiErrors } from './openai-errors.js';
import { connectorFor, SERVICE_TYPES } from './registry.js';
import { restErrors } from './rest.js';
import { simulationErrors } from './simulation.js';
import { runMany, type JobRun } from './testkit.js';

/** [label, intended type, builder]; builders draw from an rng, so each is tried with many seeds. */
const CATALOG: Array<[string, ErrorType, (rng: Rng) => Error]> = [
  ['shared cudaOom', 'memory', (r) => cudaOom(r)],
  ['shared connectionReset', 'network', (r) => connectionReset(r)],
  ['shared connectionRefused', 'network', () => connectionRefused('127.0.0.1', 8188)],
  ['shared timedOut', 'timeout', () => timedOut('ComfyUI prompt 1234', 120_000)],
  ['new error (gpu)', 'model', (r) => newError('gpu', 'sdxl', r)],
  ['new error (api)', 'model', (r) => newError('api', 'gpt-4o', r)],
  ['comfyui memory', 'memory', (r) => comfyuiErrors.memory(r)],
  ['comfyui network', 'network', (r) => comfyuiErrors.network(r)],
  ['comfyui timeout', 'timeout', () => comfyuiErrors.timeout('2b9b2a5e-1111-4c1d-9e2f-0a4f7c9d8e11', 120_000)],
  ['comfyui model', 'model', (r) => comfyuiErrors.model(r, r.pick(Object.values(COMFYUI_MODELS)).ckpt)],
  ['comfyui validation', 'validation', (r) => comfyuiErrors.validation(r)],
  ['openai rate limit (text)', 'rate_limit', (r) => openaiErrors.rateLimit(r, r.pick(['gpt-4o', 'gpt-4o-mini']), 'req_1', false)],
  ['openai rate limit (image)', 'rate_limit', (r) => openaiErrors.rateLimit(r, 'dall-e-3', 'req_1', true)],
  ['openai model', 'model', () => openaiErrors.model('gpt-5-turbo', 'req_1')],
  ['openai validation (text)', 'validation', (r) => openaiErrors.validation(r, 'gpt-4o', 'req_1', false)],
  ['openai validation (image)', 'validation', (r) => openaiErrors.validation(r, 'dall-e-3', 'req_1', true)],
  ['openai network', 'network', (r) => openaiErrors.network(r)],
  ['openai timeout', 'timeout', () => openaiErrors.timeout()],
  ['openai server error', 'unknown', () => openaiErrors.server('req_1')],
  ['a1111 memory', 'memory', (r) => a1111Errors.memory(r)],
  ['a1111 network', 'network', (r) => a1111Errors.network(r)],
  ['a1111 timeout', 'timeout', () => a1111Errors.timeout(120_000)],
  ['a1111 model', 'model', (r) => a1111Errors.model(r, 'sd_xl_base_1.0.safetensors [31e35c80fc]')],
  ['a1111 validation', 'validation', (r) => a1111Errors.validation(r)],
  ['simulation memory', 'memory', (r) => simulationErrors.memory(r)],
  ['simulation divergence', 'unknown', (r) => simulationErrors.unknown(r.int(1, 200))],
  ['simulation validation', 'validation', (r) => simulationErrors.validation(r)],
  ['simulation timeout', 'timeout', () => simulationErrors.timeout(600_000)],
  ['simulation network', 'network', () => simulationErrors.network()],
  ['rest network', 'network', (r) => restErrors.network(r, 'https://x.internal/v1')],
  ['rest timeout', 'timeout', () => restErrors.timeout(30_000)],
  ['rest validation', 'validation', () => restErrors.validation('https://x.internal/v1')],
  ['rest server error', 'unknown', () => restErrors.unknown('https://x.internal/v1')],
  ['rest rate limit', 'rate_limit', () => restErrors.rateLimit('https://x.internal/v1')],
];

test('every failure kind classifies to its intended error_type (SDK classifier)', () => {
  const wrong: string[] = [];
  for (const [label, expected, build] of CATALOG) {
    for (let i = 0; i < 20; i++) {
      const e = build(createRng(`${label}-${i}`));
      assert.ok(e instanceof Error && e.message.length > 5, label);
      const got = classifyError(e);
      if (got !== expected) wrong.push(`${label}: ${got} for "${e.message}"`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('messages read like the real ones', () => {
  const r = createRng(1);
  assert.match(cudaOom(r).message, /^CUDA out of memory\. Tried to allocate \d+\.\d\d GiB \(GPU 0; 23\.65 GiB total capacity;/);
  assert.match(comfyuiErrors.memory(r).message, new RegExp(`${(GPU_TOTAL_MB / 1024).toFixed(2)} GiB total capacity`));
  const rl = openaiErrors.rateLimit(r, 'gpt-4o', 'req_x', false) as Error & { status: number };
  assert.equal(rl.status, 429);
  assert.match(rl.message, /Rate limit reached for gpt-4o in organization org-[0-9a-f]+ on (tokens|requests) per min .*Please try again in \d+(\.\d+)?s\./);
  assert.match(comfyuiErrors.validation(r).message, /^Invalid prompt: /);
  assert.equal(timedOut('ComfyUI prompt p', 120_000).message, 'ComfyUI prompt p timed out after 120000 ms');
  assert.match(newError('gpu', 'sdxl', r).message, /^RuntimeError: Expected all tensors to be on the same device/);
});

test('decideFailure: base rate, forced faults first, same draws whatever is active', () => {
  const profile: FailureProfile = { rate: 0.04, weights: { memory: 1, network: 1 } };
  const rng = createRng('decide');
  let fails = 0;
  for (let i = 0; i < 20_000; i++) if (decideFailure(rng, profile) !== null) fails++;
  assert.ok(Math.abs(fails / 20_000 - 0.04) < 0.006, String(fails));
  const a = createRng('same');
  const b = createRng('same');
  decideFailure(a, profile, [{ active: true, probability: 1, kind: 'memory' }]);
  decideFailure(b, profile, [{ active: false, probability: 1, kind: 'memory' }]);
  assert.equal(a.next(), b.next(), 'draw count does not depend on faults');
  assert.equal(decideFailure(createRng(2), profile, [{ active: true, probability: 1, kind: 'rate_limit' }]), 'rate_limit');
});

/** The errors of the failed runs (and no run, failed or not, logged a schema error). */
const failures = (runs: JobRun[]): Error[] => {
  for (const r of runs) assert.equal(r.schemaErrors, 0, JSON.stringify(r.records.find((x) => x.schema_errors)));
  return runs.flatMap((r) => (r.result.ok ? [] : [r.result.error]));
};
const typesOf = (errs: Error[]): ErrorType[] => errs.map((e) => classifyError(e));
const share = (xs: unknown[], x: unknown): number => xs.filter((y) => y === x).length / Math.max(1, xs.length);

test('base failure rates are realistic (~2–5 %), and every failure is logged with its message', async () => {
  for (const t of SERVICE_TYPES) {
    const runs = await runMany(connectorFor(t), 400, { prefix: `base-${t}` });
    const errs = failures(runs);
    const rate = errs.length / runs.length;
    assert.ok(rate >= 0.01 && rate <= 0.08, `${t}: failure rate ${rate}`);
    for (const r of runs) {
      if (r.result.ok) continue;
      const line = r.records.find((x) => x.level === 'error');
      assert.ok(line, `${t}: no error line`);
      assert.equal(line.error, r.result.error.message);
    }
    for (const m of errs.map((e) => e.message)) {
      assert.ok(!m.includes(NEW_ERROR_SIGNATURES.gpu) && !m.includes(NEW_ERROR_SIGNATURES.api), `${t}: the new error appeared without the fault`);
    }
  }
});

test('gpu_oom on a machine: most comfyui/a1111 jobs there fail with memory; other machines stay normal', async () => {
  const faults = new FaultSet();
  faults.activate('gpu_oom', { machineId: 'gpu-7' });
  for (const t of ['comfyui', 'a1111']) {
    const sick = await runMany(connectorFor(t), 150, { prefix: `oom-${t}`, faults, machineId: 'gpu-7' });
    const well = await runMany(connectorFor(t), 150, { prefix: `oom-${t}`, faults, machineId: 'gpu-8' });
    const sickTypes = typesOf(failures(sick));
    assert.ok(sickTypes.length / sick.length >= 0.75, `${t}: ${sickTypes.length} of ${sick.length} failed on the sick machine`);
    assert.ok(share(sickTypes, 'memory') >= 0.9, `${t}: memory share ${share(sickTypes, 'memory')}`);
    for (const r of sick) if (!r.result.ok && classifyError(r.result.error) === 'memory') assert.match(r.result.error.message, /^CUDA out of memory\. Tried to allocate/);
    const wellTypes = typesOf(failures(well));
    // Healthy machine: the base rate (~4 %, of which a third memory), same seeds as the sick one.
    assert.ok(wellTypes.length / well.length <= 0.12, `${t}: ${wellTypes.length} failed on the healthy machine`);
    const wellMemory = wellTypes.filter((x) => x === 'memory').length;
    assert.ok(wellMemory / well.length <= 0.05, `${t}: ${wellMemory} memory failures on the healthy machine`);
    assert.ok(share(sickTypes, 'memory') * sickTypes.length >= 10 * Math.max(1, wellMemory), `${t}: sick vs healthy memory failures`);
    // The same effect through a forMachine view, without ctx.machineId.
    const view = await runMany(connectorFor(t), 60, { prefix: `oom-view-${t}`, faults: faults.forMachine('gpu-7'), passMachineId: false });
    assert.ok(failures(view).length / view.length >= 0.7, `${t}: forMachine view`);
  }
  // comfyui reports a nearly full card on the sick machine
  const [one] = await runMany(connectorFor('comfyui'), 1, { prefix: 'oom-vram', faults, machineId: 'gpu-7' });
  const vram = Math.max(...one.records.map((r) => (typeof r.vram_usage === 'number' ? r.vram_usage : 0)));
  assert.ok(vram > GPU_TOTAL_MB * 0.9, `vram ${vram}`);
});

test('rate_limit: openai jobs mostly fail with 429 (rate_limit), and recover when it ends', async () => {
  const faults = new FaultSet();
  faults.activate('rate_limit');
  for (const t of ['openai-text', 'openai-image']) {
    const runs = await runMany(connectorFor(t), 150, { prefix: `rl-${t}`, faults });
    const errs = failures(runs);
    assert.ok(errs.length / runs.length >= 0.8, `${t}: ${errs.length} of ${runs.length} failed`);
    const limited = errs.filter((e) => classifyError(e) === 'rate_limit');
    assert.ok(limited.length / errs.length >= 0.9, `${t}: rate_limit share`);
    for (const e of limited) {
      assert.equal((e as Error & { status?: number }).status, 429);
      assert.match(e.message, /Rate limit (reached|exceeded) for/);
    }
    // a 429 comes back with the response: fast, before any progress
    for (const r of runs) {
      if (r.result.ok || classifyError(r.result.error) !== 'rate_limit') continue;
      assert.ok(r.result.durationMs < 1_000, String(r.result.durationMs));
      assert.equal(r.records.filter((x) => x.event_type === 'job_progress').length, 0);
    }
  }
  faults.deactivate('rate_limit');
  const after = await runMany(connectorFor('openai-text'), 150, { prefix: 'rl-after', faults });
  assert.ok(failures(after).length / after.length < 0.1);
  // rate_limit scoped to a model leaves the others alone
  const scoped = new FaultSet();
  scoped.activate('rate_limit', { model: 'gpt-4o' });
  const mini = await runMany(connectorFor('openai-text'), 100, { prefix: 'rl-mini', faults: scoped, model: 'gpt-4o-mini' });
  assert.ok(failures(mini).length / mini.length < 0.1);
});

test('new_error: a never-seen message appears (classified model), only while active', async () => {
  const faults = new FaultSet();
  faults.activate('new_error', { model: 'sdxl' });
  for (const [t, signature] of [['comfyui', NEW_ERROR_SIGNATURES.gpu], ['a1111', NEW_ERROR_SIGNATURES.gpu], ['openai-text', NEW_ERROR_SIGNATURES.api]] as const) {
    const f = t === 'openai-text' ? new FaultSet() : faults;
    if (t === 'openai-text') f.activate('new_error');
    const runs = await runMany(connectorFor(t), 120, { prefix: `new-${t}`, faults: f, ...(t === 'openai-text' ? {} : { model: 'sdxl' }) });
    const fresh = failures(runs).filter((e) => e.message.includes(signature));
    assert.ok(fresh.length / runs.length >= 0.25, `${t}: ${fresh.length} of ${runs.length} with the new error`);
    for (const e of fresh) assert.equal(classifyError(e), 'model', e.message);
  }
  // scoped to sdxl: sd15 jobs never see it
  const sd15 = await runMany(connectorFor('comfyui'), 120, { prefix: 'new-sd15', faults, model: 'sd15' });
  assert.ok(failures(sd15).every((e) => !e.message.includes(NEW_ERROR_SIGNATURES.gpu)));
});

test('timeouts: a hung job fails at the connector deadline with a timeout error', async () => {
  const runs = await runMany(connectorFor('comfyui'), 1000, { prefix: 'hang' });
  const timeouts = runs.filter((r) => !r.result.ok && classifyError(r.result.error) === 'timeout');
  assert.ok(timeouts.length > 0, 'some timeouts in 1000 jobs');
  for (const r of timeouts) {
    assert.ok(!r.result.ok);
    assert.match(r.result.error.message, /^ComfyUI prompt [0-9a-f-]{36} timed out after 120000 ms$/);
    assert.equal(r.result.durationMs, 120_000);
  }
});

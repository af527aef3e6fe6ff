/**
 * Durations: log-normal per model (long-tailed, reproducible), scaled into
 * ctx.sleep by durationScale, and tripled at p95 by slow_model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, quantile } from '../random/index.js';
import { MODEL_DURATIONS, durationProfile, p95Of, sampleDurationMs } from './durations.js';
import { FaultSet, NO_FAULTS } from './faults.js';
import { connectorFor } from './registry.js';
import { runJob, runMany } from './testkit.js';

/**
 * A uniform on positive values with median m has p95 ≤ 1.9·m and p99 < 2·m:
 * these bounds are what "long-tailed, not uniform" means here.
 */
const UNIFORM_P95_MAX = 1.9;
const UNIFORM_P99_MAX = 2;

test('every model: median as configured, p95/p50 and p99/p50 beyond any uniform', () => {
  for (const [model, profile] of Object.entries(MODEL_DURATIONS)) {
    const rng = createRng(`dur-${model}`);
    const xs = Array.from({ length: 4000 }, () => sampleDurationMs(profile, rng));
    const p50 = quantile(xs, 0.5);
    assert.ok(Math.abs(p50 / profile.medianMs - 1) < 0.06, `${model} p50 ${p50}`);
    assert.ok(quantile(xs, 0.95) / p50 > UNIFORM_P95_MAX + 0.1, `${model} p95/p50 ${quantile(xs, 0.95) / p50}`);
    assert.ok(quantile(xs, 0.99) / p50 > UNIFORM_P99_MAX + 0.3, `${model} p99/p50 ${quantile(xs, 0.99) / p50}`);
  }
});

test('medians per model are realistic (sdxl ~12 s, sd15 ~4 s, gpt-4o-mini ~1.2 s, dall-e-3 ~9 s)', () => {
  assert.equal(MODEL_DURATIONS.sdxl.medianMs, 12_000);
  assert.equal(MODEL_DURATIONS.sd15.medianMs, 4_000);
  assert.equal(MODEL_DURATIONS['gpt-4o-mini'].medianMs, 1_200);
  assert.equal(MODEL_DURATIONS['dall-e-3'].medianMs, 9_000);
});

test('connector job durations are long-tailed and reproducible under a seed', async () => {
  const comfy = connectorFor('comfyui');
  const a = await runMany(comfy, 300, { prefix: 'tail', model: 'sdxl' });
  const ok = a.filter((r) => r.result.ok).map((r) => r.result.durationMs);
  const p50 = quantile(ok, 0.5);
  assert.ok(Math.abs(p50 / 12_000 - 1) < 0.2, `sdxl p50 ${p50}`);
  assert.ok(quantile(ok, 0.95) / p50 > UNIFORM_P95_MAX + 0.1, `p95/p50 ${quantile(ok, 0.95) / p50}`);
  const b = await runMany(comfy, 300, { prefix: 'tail', model: 'sdxl' });
  assert.deepEqual(b.map((r) => r.result.durationMs), a.map((r) => r.result.durationMs));
  const c = await runMany(comfy, 300, { prefix: 'tail-other', model: 'sdxl' });
  assert.notDeepEqual(c.map((r) => r.result.durationMs), a.map((r) => r.result.durationMs));
});

test('durationScale: ctx.sleep gets simulated ms × scale; logged times stay simulated', async () => {
  for (const t of ['comfyui', 'openai-text', 'a1111', 'simulation', 'rest', 'openai-image']) {
    const full = await runJob(connectorFor(t), { seed: `scale-${t}` });
    const fast = await runJob(connectorFor(t), { seed: `scale-${t}`, durationScale: 0.01 });
    const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
    assert.equal(fast.result.durationMs, full.result.durationMs, t);
    assert.ok(Math.abs(sum(full.slept) - full.result.durationMs) < 1e-6 * full.result.durationMs, `${t}: sleeps add up to the duration`);
    assert.ok(Math.abs(sum(fast.slept) - full.result.durationMs * 0.01) < 1e-6 * full.result.durationMs, `${t}: scaled 100×`);
    const strip = (rs: Array<Record<string, unknown>>): unknown[] => rs.map(({ time: _t, ...r }) => r);
    assert.deepEqual(strip(fast.records), strip(full.records));
  }
  const none = await runJob(connectorFor('comfyui'), { seed: 'scale-0', durationScale: 0 });
  assert.deepEqual(none.slept, []);
});

test('real sleeps: a job at 50× speed takes about its simulated duration / 50', async () => {
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const started = performance.now();
  const run = await runJob(connectorFor('openai-text'), { seed: 'real', model: 'gpt-4o-mini', durationScale: 0.02, sleep });
  const took = performance.now() - started;
  assert.ok(run.result.ok);
  assert.ok(took >= run.result.durationMs * 0.02 - 5, `${took} ms for ${run.result.durationMs} simulated`);
  assert.ok(took < 2_000);
});

test('slow_model: p95 ×3 (±25 %) for that model only', () => {
  const faults = new FaultSet();
  faults.activate('slow_model', { model: 'sdxl' });
  for (const model of ['sdxl', 'sd15']) {
    const base = durationProfile(model, NO_FAULTS);
    const slow = durationProfile(model, faults, { machineId: 'm1' });
    const rng = createRng(`slow-${model}`);
    const xs = Array.from({ length: 5000 }, () => sampleDurationMs(base, rng));
    const ys = Array.from({ length: 5000 }, () => sampleDurationMs(slow, rng));
    const ratio = quantile(ys, 0.95) / quantile(xs, 0.95);
    if (model === 'sdxl') {
      assert.ok(Math.abs(p95Of(slow) / p95Of(base) - 3) < 1e-9, 'exactly 3× in theory');
      assert.ok(ratio > 3 * 0.75 && ratio < 3 * 1.25, `sdxl p95 ratio ${ratio}`);
    } else {
      assert.deepEqual(slow, base);
      assert.ok(Math.abs(ratio - 1) < 0.15, `sd15 unaffected: ${ratio}`);
    }
  }
});

test('slow_model through the connectors: that model\'s job p95 ×3 (±25 %), other models unchanged', async () => {
  const faults = new FaultSet();
  faults.activate('slow_model', { model: 'sd15' });
  const p95 = async (t: string, model: string, f: FaultSet | undefined, prefix: string): Promise<number> => {
    const runs = await runMany(connectorFor(t), 300, { prefix, model, ...(f ? { faults: f } : {}) });
    return quantile(runs.filter((r) => r.result.ok).map((r) => r.result.durationMs), 0.95);
  };
  for (const t of ['a1111', 'comfyui']) {
    const ratio = (await p95(t, 'sd15', faults, `slow-${t}`)) / (await p95(t, 'sd15', undefined, `slow-${t}`));
    assert.ok(ratio > 2.25 && ratio < 3.75, `${t} sd15 p95 ratio ${ratio}`);
    const other = (await p95(t, 'sdxl', faults, `slow-${t}-x`)) / (await p95(t, 'sdxl', undefined, `slow-${t}-x`));
    assert.ok(Math.abs(other - 1) < 0.01, `${t} sdxl ratio ${other}`);
  }
  const gpt = new FaultSet();
  gpt.activate('slow_model', { model: 'gpt-4o-mini' });
  const ratio = (await p95('openai-text', 'gpt-4o-mini', gpt, 'slow-gpt')) / (await p95('openai-text', 'gpt-4o-mini', undefined, 'slow-gpt'));
  assert.ok(ratio > 2.25 && ratio < 3.75, `gpt-4o-mini p95 ratio ${ratio}`);
});

/** What a job's end decides: failed, timeout, retried, slow (running p95 per service_type+model), head, normal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Decider } from './decide.js';
import { resolveSampling } from './options.js';
import { headSampled } from './ratio.js';

/** A trace id that is not head-sampled at 10 %. */
function normalId(): string {
  for (;;) {
    const t = randomBytes(16).toString('hex');
    if (!headSampled(t, 0.1)) return t;
  }
}

test('failed, unworkable, timeout and retried jobs are kept; a completed first attempt is not', () => {
  const d = new Decider(resolveSampling());
  const cases: [Record<string, unknown>, boolean, string][] = [
    [{ status: 'failed' }, true, 'failed'],
    [{ status: 'unworkable' }, true, 'failed'],
    [{ status: 'timeout' }, true, 'timeout'],
    [{ status: 'retried' }, true, 'retried'],
    [{ status: 'completed', attempt: 2 }, true, 'retried'],
    [{ status: 'completed', attempt: 1 }, false, 'normal'],
    [{ status: 'cancelled' }, false, 'normal'],
  ];
  for (const [o, keep, reason] of cases) {
    const r = d.decide({ traceId: normalId(), jobId: 'j', status: 'completed', ...o });
    assert.deepEqual([r.keep, r.reason], [keep, reason], JSON.stringify(o));
  }
  const off = new Decider(resolveSampling({ keepErrors: false }));
  assert.equal(off.decide({ traceId: normalId(), jobId: 'j', status: 'failed' }).keep, false);
});

test('head-sampled traces are kept with reason head', () => {
  const d = new Decider(resolveSampling());
  let t: string;
  do t = randomBytes(16).toString('hex'); while (!headSampled(t, 0.1));
  assert.deepEqual(d.decide({ traceId: t, jobId: 'j', status: 'completed' }), { traceId: t, keep: true, reason: 'head' });
});

test('slow: duration > slowFactor × running p95 of the same service_type+model, after slowMinSamples', () => {
  const d = new Decider(resolveSampling({ slowMinSamples: 20, slowWindow: 100 }));
  const job = (durationMs: number, model = 'sdxl', status = 'completed') =>
    d.decide({ traceId: normalId(), jobId: 'j', status, serviceType: 'comfyui', model, durationMs });
  for (let i = 0; i < 19; i++) assert.equal(job(100 + i).keep, false);
  assert.equal(job(10_000).keep, false, 'not enough samples yet (19): no p95');
  for (let i = 0; i < 80; i++) job(100 + (i % 20));
  // window: the last 100 durations, one of them 10 000: p95 still 118
  assert.equal(d.slow.p95('comfyui\u0000sdxl'), 118);
  assert.equal(job(170).keep, false, '170 < 1.5 × 118');
  assert.deepEqual([job(180).keep, job(180).reason], [true, 'slow']);
  assert.equal(job(180, 'flux').keep, false, 'another model has its own window');
  const abs = new Decider(resolveSampling({ slowAbsoluteMs: 1000, slowFactor: 0 }));
  assert.equal(abs.decide({ traceId: normalId(), jobId: 'j', status: 'completed', durationMs: 1001 }).reason, 'slow');
  assert.equal(abs.decide({ traceId: normalId(), jobId: 'j', status: 'completed', durationMs: 999 }).keep, false);
});

test('failed durations do not feed the window', () => {
  const d = new Decider(resolveSampling({ slowMinSamples: 5 }));
  for (let i = 0; i < 10; i++) d.decide({ traceId: normalId(), jobId: 'j', status: 'failed', durationMs: 5 });
  assert.equal(d.slow.p95('\u0000'), undefined);
});

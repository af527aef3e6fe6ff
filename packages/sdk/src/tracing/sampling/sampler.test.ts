/** Head sampling by trace id and the job-aware sampler's answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { headSampled, JobAwareSampler } from './ratio.js';
import { resolveSampling } from './options.js';

const id = (): string => randomBytes(16).toString('hex');

test('headSampled: deterministic by trace id, about `ratio` of random ids, monotone in the ratio', () => {
  const ids = Array.from({ length: 20_000 }, id);
  for (const ratio of [0.01, 0.1, 0.5]) {
    const n = ids.filter((t) => headSampled(t, ratio)).length;
    assert.ok(Math.abs(n / ids.length - ratio) < 0.01 + ratio * 0.1, `ratio ${ratio}: ${n}`);
  }
  for (const t of ids.slice(0, 500)) {
    assert.equal(headSampled(t, 0.1), headSampled(t, 0.1));
    if (headSampled(t, 0.1)) assert.ok(headSampled(t, 0.2), 'sampled at 0.1 ⇒ sampled at 0.2');
  }
  assert.equal(headSampled(ids[0], 1), true);
  assert.equal(headSampled(ids[0], 0), false);
  assert.equal(headSampled('ffffffffffffffffffff0000000000000', 0.5), false, 'not 32 digits');
  assert.equal(headSampled('0123456789abcdef0120000000000000', 0.001), true);
  assert.equal(headSampled('0123456789abcdef012fffffffffffff', 0.999), false);
});

test('the sampler: RECORD_AND_SAMPLED when head-sampled, else RECORD, whatever the parent says', () => {
  const s = new JobAwareSampler(0.1, true);
  const sampledParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: id(), spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
  const plainParent = trace.setSpanContext(ROOT_CONTEXT, { traceId: id(), spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE, isRemote: true });
  let head = 0;
  for (let i = 0; i < 2000; i++) {
    const t = id();
    const expected = headSampled(t, 0.1) ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.RECORD;
    for (const ctx of [ROOT_CONTEXT, sampledParent, plainParent]) {
      assert.equal(s.shouldSample(ctx, t, 'x', SpanKind.INTERNAL, {}, []).decision, expected);
    }
    if (expected === SamplingDecision.RECORD_AND_SAMPLED) head++;
  }
  assert.ok(head > 100 && head < 300, `head-sampled ${head} of 2000`);
  const off = new JobAwareSampler(0.1, false);
  const t = Array.from({ length: 100 }, id).find((x) => !headSampled(x, 0.1)) as string;
  assert.equal(off.shouldSample(ROOT_CONTEXT, t, 'x', SpanKind.INTERNAL, {}, []).decision, SamplingDecision.NOT_RECORD);
});

test('sampling options: defaults, tail off when nothing could keep a trace later, precise errors', () => {
  const d = resolveSampling();
  assert.deepEqual(
    { ...d, channel: undefined },
    { ratio: 0.1, keepErrors: true, slowFactor: 1.5, slowWindow: 500, slowMinSamples: 20, slowAbsoluteMs: null, maxHeldSpans: 20_000, maxHoldMs: 600_000, maxDecisions: 20_000, channel: undefined, tail: true },
  );
  assert.equal(resolveSampling({ keepErrors: false, slowFactor: 0 }).tail, false);
  assert.equal(resolveSampling({ keepErrors: false, slowFactor: 0, slowAbsoluteMs: 1000 }).tail, true);
  assert.equal(resolveSampling({ ratio: 1 }).tail, false);
  assert.throws(() => resolveSampling({ ratio: 1.5 }), /tracing: sampling.ratio must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => resolveSampling({ maxHeldSpans: 1.5 }), /sampling.maxHeldSpans must be an integer/);
  assert.throws(() => resolveSampling({ channel: {} as never }), /sampling.channel must have publish\(\) and subscribe\(\)/);
});

/** Job trace context: W3C traceparent/tracestate on job objects, attempts, and never a throw. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { context, createContextKey, propagation, ROOT_CONTEXT, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  attemptLinkFrom, extractJobContext, formatTraceparent, injectJobContext, LAST_ATTEMPT_FIELD, parseTraceparent,
  previousAttemptOf, recordAttempt,
} from './index.js';
import type { JobCarrier } from '../contract.js';

// No global provider, context manager or propagator is registered: the functions must not need them.
const tracer = new BasicTracerProvider().getTracer('propagation-test');

after(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

const SC: SpanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };

test('inject → extract round trip: same trace id, the injected span as remote parent', () => {
  const span = tracer.startSpan('send jobs:pending');
  const job: JobCarrier = { id: 'job-1', service_type: 'comfyui' };
  const returned = injectJobContext(job, trace.setSpan(ROOT_CONTEXT, span));
  assert.equal(returned, job, 'returns the same object');
  const sc = span.spanContext();
  assert.equal(job.traceparent, `00-${sc.traceId}-${sc.spanId}-01`);
  assert.equal(job.tracestate, undefined, 'no tracestate written when the span has none');

  const ctx = extractJobContext({ ...job });
  const got = trace.getSpanContext(ctx);
  assert.ok(got);
  assert.equal(got.traceId, sc.traceId);
  assert.equal(got.spanId, sc.spanId);
  assert.equal(got.traceFlags, TraceFlags.SAMPLED);
  assert.equal(got.isRemote, true);

  const child = tracer.startSpan('process jobs:pending', {}, ctx);
  assert.equal(child.spanContext().traceId, sc.traceId);
  span.end();
  child.end();
});

test('injects from the active context by default, and nothing when there is no valid span', () => {
  const job: JobCarrier = {};
  injectJobContext(job);
  assert.equal(job.traceparent, undefined, 'no context manager, no active span: nothing written');
  const invalid = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 };
  injectJobContext(job, trace.setSpanContext(ROOT_CONTEXT, invalid));
  assert.equal(job.traceparent, undefined);
  const kept: JobCarrier = { traceparent: `00-${SC.traceId}-${SC.spanId}-01` };
  injectJobContext(kept, ROOT_CONTEXT);
  assert.equal(kept.traceparent, `00-${SC.traceId}-${SC.spanId}-01`, 'an existing traceparent is left alone when there is nothing to write');
});

test('not-sampled flags travel too (flags 00)', () => {
  const job: JobCarrier = {};
  injectJobContext(job, trace.setSpanContext(ROOT_CONTEXT, { ...SC, traceFlags: TraceFlags.NONE }));
  assert.equal(job.traceparent, `00-${SC.traceId}-${SC.spanId}-00`);
  assert.equal(trace.getSpanContext(extractJobContext(job))?.traceFlags, TraceFlags.NONE);
});

test('tracestate is written and kept through a round trip', () => {
  const job: JobCarrier = {};
  const withState = { ...SC, traceState: new TraceState('vendor=abc,jobscope=x1') };
  injectJobContext(job, trace.setSpanContext(ROOT_CONTEXT, withState));
  assert.equal(job.tracestate, 'vendor=abc,jobscope=x1');
  const got = trace.getSpanContext(extractJobContext(job));
  assert.equal(got?.traceState?.get('vendor'), 'abc');
  assert.equal(got?.traceState?.serialize(), 'vendor=abc,jobscope=x1');

  // a span with a tracestate, injected again without one: the stale tracestate is emptied
  injectJobContext(job, trace.setSpanContext(ROOT_CONTEXT, { ...SC, spanId: '1111111111111111' }));
  assert.equal(job.tracestate, '');
  assert.equal(trace.getSpanContext(extractJobContext(job))?.traceState, undefined);
});

test('garbage, missing or invalid traceparent → the base context, never a throw', () => {
  const base = ROOT_CONTEXT.setValue(createContextKey('base'), 1);
  const bad: unknown[] = [
    undefined, null, 'not an object', 42,
    {},
    { traceparent: '' },
    { traceparent: 'garbage' },
    { traceparent: 42 },
    { traceparent: ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'] },
    { traceparent: { toString: () => '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
    { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }, // zero trace id
    { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01' }, // zero span id
    { traceparent: 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, // forbidden version
    { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra' }, // version 00 with more fields
    { traceparent: '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01' }, // upper case
    { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01' }, // short
    { traceparent: 'x'.repeat(100_000) },
    new Proxy({}, { get() { throw new Error('hostile'); } }),
  ];
  bad.forEach((job, i) => {
    assert.equal(extractJobContext(job as object, base), base, `input #${i}`);
  });
  assert.equal(extractJobContext({ traceparent: 'garbage' }), ROOT_CONTEXT, 'default base is ROOT_CONTEXT');
  // a future version with extra fields is accepted, as W3C asks
  const future = extractJobContext({ traceparent: '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever' });
  assert.equal(trace.getSpanContext(future)?.spanId, '00f067aa0ba902b7');
});

test('extract keeps the base context\'s other values', () => {
  const key = createContextKey('k');
  const base = ROOT_CONTEXT.setValue(key, 'v');
  const ctx = extractJobContext({ traceparent: formatTraceparent(SC) }, base);
  assert.equal(ctx.getValue(key), 'v');
  assert.equal(trace.getSpanContext(ctx)?.traceId, SC.traceId);
});

test('a Redis hash (strings only) carries it: the hash round trip', () => {
  const span = tracer.startSpan('send');
  const job = { id: 'job-7', attempts: 0, priority: 5 };
  injectJobContext(job, trace.setSpan(ROOT_CONTEXT, span));
  const hash: Record<string, string> = Object.fromEntries(Object.entries(job).map(([k, v]) => [k, String(v)]));
  const got = trace.getSpanContext(extractJobContext(hash));
  assert.equal(got?.spanId, span.spanContext().spanId);
  span.end();
});

test('works on typed records (interfaces without an index signature), frozen objects do not throw', () => {
  interface Rec {
    id: string;
    traceparent: string;
    tracestate: string;
    last_attempt?: string;
  }
  const rec: Rec = { id: 'j', traceparent: '', tracestate: '' };
  const out = injectJobContext(rec, trace.setSpanContext(ROOT_CONTEXT, SC));
  assert.equal(out.traceparent, formatTraceparent(SC));
  recordAttempt(rec, SC);
  assert.equal(rec.last_attempt, formatTraceparent(SC));

  const frozen = Object.freeze({ id: 'f' });
  assert.doesNotThrow(() => injectJobContext(frozen, trace.setSpanContext(ROOT_CONTEXT, SC)));
  assert.doesNotThrow(() => recordAttempt(frozen, SC));
});

test('HTTP headers are a carrier too', () => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  injectJobContext(headers, trace.setSpanContext(ROOT_CONTEXT, SC));
  assert.equal(headers.traceparent, formatTraceparent(SC));
});

test('recordAttempt / attemptLinkFrom: the previous attempt\'s process span, as a link', () => {
  const job: JobCarrier = { id: 'job-r' };
  assert.equal(attemptLinkFrom(job), undefined, 'first attempt: no link');
  const attempt1 = tracer.startSpan('process jobs:pending');
  recordAttempt(job, attempt1);
  const sc1 = attempt1.spanContext();
  assert.equal(job[LAST_ATTEMPT_FIELD], `00-${sc1.traceId}-${sc1.spanId}-01`);

  const hash = Object.fromEntries(Object.entries(job).map(([k, v]) => [k, String(v)]));
  const link = attemptLinkFrom(hash);
  assert.ok(link);
  assert.equal(link.context.traceId, sc1.traceId);
  assert.equal(link.context.spanId, sc1.spanId);
  assert.equal(link.context.isRemote, true);
  assert.equal(link.attributes?.['jobscope.link.type'], 'previous_attempt');
  assert.deepEqual(previousAttemptOf(hash), link.context);

  assert.equal(attemptLinkFrom({ last_attempt: 'garbage' }), undefined);
  assert.equal(attemptLinkFrom({ last_attempt: 7 }), undefined);
  assert.equal(attemptLinkFrom(null), undefined);
  recordAttempt(job, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
  assert.equal(job[LAST_ATTEMPT_FIELD], `00-${sc1.traceId}-${sc1.spanId}-01`, 'an invalid context writes nothing');
  attempt1.end();
});

test('formatTraceparent / parseTraceparent agree', () => {
  for (const flags of [0, 1, 3, 0xff]) {
    const s = formatTraceparent({ ...SC, traceFlags: flags });
    assert.match(s, /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
    const back = parseTraceparent(s);
    assert.equal(back?.traceFlags, flags);
    assert.equal(back?.traceId, SC.traceId);
  }
  assert.equal(parseTraceparent(''), undefined);
  assert.equal(parseTraceparent(undefined), undefined);
});

test('the global propagator is not used: a registered no-op propagator changes nothing', () => {
  propagation.setGlobalPropagator({ inject() {}, extract: (c) => c, fields: () => [] });
  const job: JobCarrier = {};
  injectJobContext(job, trace.setSpanContext(ROOT_CONTEXT, SC));
  assert.equal(job.traceparent, formatTraceparent(SC));
  assert.equal(trace.getSpanContext(extractJobContext(job))?.spanId, SC.spanId);
  propagation.disable();
});

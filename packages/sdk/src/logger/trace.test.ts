/** Inside an active OpenTelemetry span, records carry trace_id/span_id with no extra code. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ConnectorLogger } from './connector-logger.js';
import { MemorySink } from './testkit.js';

const manager = new AsyncLocalStorageContextManager().enable();
context.setGlobalContextManager(manager);
const provider = new BasicTracerProvider();
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer('jobscope-sdk-test');

after(() => {
  trace.disable();
  context.disable();
});

function logger(opts: { trace?: boolean } = {}): { log: ConnectorLogger; sink: MemorySink } {
  const sink = new MemorySink();
  return { sink, log: new ConnectorLogger({ machineId: 'm', serviceType: 'rest', sink, env: {}, ...opts }) };
}

test('no active span: no trace fields', () => {
  const { log, sink } = logger();
  log.info('outside');
  assert.equal(sink.last().trace_id, undefined);
  assert.equal(sink.last().span_id, undefined);
});

test('inside startActiveSpan: trace_id, span_id and trace_flags of that span', () => {
  const { log, sink } = logger();
  tracer.startActiveSpan('process job', (span) => {
    log.jobStarted('j1');
    log.withJobContext('j1').info('inside child');
    const sc = span.spanContext();
    for (const r of sink.records()) {
      assert.equal(r.trace_id, sc.traceId);
      assert.equal(r.span_id, sc.spanId);
      assert.equal(r.trace_flags, '01');
    }
    span.end();
  });
  log.info('after');
  assert.equal(sink.last().trace_id, undefined);
});

test('nested spans and async continuations carry the innermost span', async () => {
  const { log, sink } = logger();
  await tracer.startActiveSpan('outer', async (outer) => {
    await tracer.startActiveSpan('connector call', async (inner) => {
      await new Promise((r) => setTimeout(r, 5));
      log.info('in inner after await');
      assert.equal(sink.last().span_id, inner.spanContext().spanId);
      assert.equal(sink.last().trace_id, outer.spanContext().traceId);
      inner.end();
    });
    log.info('back in outer');
    assert.equal(sink.last().span_id, outer.spanContext().spanId);
    outer.end();
  });
});

test('a propagated (non-recording) span context is used too', () => {
  const { log, sink } = logger();
  const sc = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 0, isRemote: true };
  context.with(trace.setSpanContext(ROOT_CONTEXT, sc), () => log.info('remote parent'));
  assert.equal(sink.last().trace_id, sc.traceId);
  assert.equal(sink.last().span_id, sc.spanId);
  assert.equal(sink.last().trace_flags, '00');
});

test('an invalid span context adds nothing', () => {
  const { log, sink } = logger();
  const sc = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 };
  context.with(trace.setSpanContext(ROOT_CONTEXT, sc), () => log.info('invalid'));
  assert.equal(sink.last().trace_id, undefined);
});

test('trace: false turns it off', () => {
  const { log, sink } = logger({ trace: false });
  tracer.startActiveSpan('s', (span) => {
    log.info('x');
    span.end();
  });
  assert.equal(sink.last().trace_id, undefined);
});

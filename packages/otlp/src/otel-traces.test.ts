/**
 * Decoding what the official OpenTelemetry JS trace exporters send (protobuf
 * and JSON): ids, parent, kind, ns times, events, links, status.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { decodeRequest, type Encoding, type Span } from './index.js';
import { CaptureServer, hrToNs } from './testing/capture-server.js';
import { referenceDecode } from './testing/reference.js';

const server = new CaptureServer();
before(() => server.start());
after(() => server.stop());

const LINKED = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true };
/** OTLP span flags: W3C trace flags | CONTEXT_HAS_IS_REMOTE (0x100) | CONTEXT_IS_REMOTE (0x200). */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

async function exportSpans(encoding: Encoding) {
  const url = `${server.url}/v1/traces`;
  const exporter: SpanExporter = encoding === 'protobuf' ? new ProtoTraceExporter({ url }) : new JsonTraceExporter({ url });
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'jobscope-test' }),
    spanProcessors: [new BatchSpanProcessor(exporter), new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('jobscope.tracer', '0.1.0');
  const parent = tracer.startSpan(
    'job',
    { kind: SpanKind.SERVER, startTime: [1700000001, 5], attributes: { 'job.id': 'job-123', attempt: 2, ratio: 0.75, ok: false, tags: ['a', 'b'] } },
    ROOT_CONTEXT,
  );
  const child = tracer.startSpan(
    'step',
    { kind: SpanKind.CLIENT, links: [{ context: LINKED, attributes: { 'link.kind': 'retry-of' } }] },
    trace.setSpan(ROOT_CONTEXT, parent),
  );
  child.addEvent('progress', { percent: 50 }, [1700000001, 500000000]);
  child.addEvent('no-attrs');
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end();
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end([1700000002, 999999999]);
  await provider.forceFlush();
  const recorded = memory.getFinishedSpans();
  await provider.shutdown();
  return { recorded, parent: parent.spanContext(), child: child.spanContext() };
}

for (const encoding of ['protobuf', 'json'] as const) {
  test(`official ${encoding} trace exporter: exact decode`, async () => {
    const { recorded, parent, child } = await exportSpans(encoding);
    const captured = server.take('/v1/traces');
    assert.ok(captured.length >= 1);
    if (encoding === 'protobuf') {
      // an independent decoder (protobufjs over our descriptor) agrees field for field
      for (const c of captured) assert.deepEqual(decodeRequest('traces', c.body, 'protobuf'), referenceDecode('traces', c.body));
    }
    const spans: Span[] = captured
      .map((c) => decodeRequest('traces', c.body, encoding))
      .flatMap((d) => d.resourceSpans)
      .flatMap((r) => {
        assert.equal(r.resource.attributes['service.name'], 'jobscope-test');
        return r.scopeSpans;
      })
      .flatMap((s) => {
        assert.deepEqual([s.scope.name, s.scope.version], ['jobscope.tracer', '0.1.0']);
        return s.spans;
      });
    assert.equal(spans.length, 2);
    const c = spans.find((s) => s.name === 'step')!;
    const p = spans.find((s) => s.name === 'job')!;
    const recChild = recorded.find((s) => s.name === 'step')!;

    assert.deepEqual(p, {
      traceId: parent.traceId,
      spanId: parent.spanId,
      traceState: '',
      parentSpanId: '',
      flags: TraceFlags.SAMPLED | HAS_IS_REMOTE,
      name: 'job',
      kind: 2,
      startTimeUnixNano: '1700000001000000005',
      endTimeUnixNano: '1700000002999999999',
      attributes: { 'job.id': 'job-123', attempt: 2, ratio: 0.75, ok: false, tags: ['a', 'b'] },
      droppedAttributesCount: 0,
      events: [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 1, message: '' },
    });

    assert.deepEqual(c, {
      traceId: child.traceId,
      spanId: child.spanId,
      traceState: '',
      parentSpanId: parent.spanId,
      flags: TraceFlags.SAMPLED | HAS_IS_REMOTE,
      name: 'step',
      kind: 3,
      startTimeUnixNano: hrToNs(recChild.startTime),
      endTimeUnixNano: hrToNs(recChild.endTime),
      attributes: {},
      droppedAttributesCount: 0,
      events: [
        { timeUnixNano: '1700000001500000000', name: 'progress', attributes: { percent: 50 }, droppedAttributesCount: 0 },
        { timeUnixNano: hrToNs(recChild.events[1].time), name: 'no-attrs', attributes: {}, droppedAttributesCount: 0 },
      ],
      droppedEventsCount: 0,
      links: [
        {
          traceId: LINKED.traceId,
          spanId: LINKED.spanId,
          traceState: '',
          attributes: { 'link.kind': 'retry-of' },
          droppedAttributesCount: 0,
          flags: TraceFlags.SAMPLED | HAS_IS_REMOTE | IS_REMOTE,
        },
      ],
      droppedLinksCount: 0,
      status: { code: 2, message: 'boom' },
    });
    assert.equal(c.traceId, p.traceId);
  });
}

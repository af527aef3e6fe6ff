/**
 * The span encoder against the official ProtobufTraceSerializer: for spans
 * with every feature (events, links, trace state, remote parents, kinds,
 * statuses, every attribute type, unicode and long strings, big and
 * negative integers, several resources and scopes), both byte strings
 * decode (with the server's OTLP decoder) to the same request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeRequest } from '@jobscope/otlp';
import { encodeSpans } from './span-proto.js';
import { ProtoWriter } from '../../proto/writer.js';

function makeSpans(): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  for (const [i, service] of ['api', 'worker'].entries()) {
    const mem = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service, machine_id: `m-${i}`, 'deployment.environment': 'test', replicas: 3 }),
      spanProcessors: [new SimpleSpanProcessor(mem)],
    });
    for (const scopeName of ['scope-a', 'scope-b']) {
      const tracer = provider.getTracer(scopeName, i === 0 ? '1.2.3' : undefined);
      const remote = trace.setSpanContext(context.active(), {
        traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true,
        traceState: new TraceState('vendor=a,other=b'),
      });
      const root = tracer.startSpan('send jobs:pending', {
        kind: SpanKind.PRODUCER,
        attributes: {
          str: 'x', empty: '', unicode: 'données — 日本語 ✓', long: 'L'.repeat(300), bool: true, no: false, int: 42, zero: 0,
          neg: -7, big: 2 ** 60, negBig: -(2 ** 60), maxSafe: Number.MAX_SAFE_INTEGER, dbl: 3.25, negDbl: -0.5, nan: Number.NaN,
          strs: ['a', 'b', ''], nums: [1, 2.5, -3], bools: [true, false], mixed: ['a', null as unknown as string, 'c'],
        },
        links: [{ context: { traceId: '1af7651916cd43dd8448eb211c80319c', spanId: 'c7ad6b7169203331', traceFlags: 0, isRemote: true }, attributes: { 'jobscope.link.type': 'previous_attempt', n: 1 } }],
      }, remote);
      root.addEvent('exception', { 'exception.type': 'Error', 'exception.message': 'CUDA out of memory' });
      root.addEvent('plain');
      root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      const child = tracer.startSpan(`child ${'ü'.repeat(50)}`, { kind: SpanKind.CLIENT, attributes: { 'http.response.status_code': 200 } }, trace.setSpan(context.active(), root));
      child.setStatus({ code: SpanStatusCode.OK });
      child.end();
      root.end();
      const internal = tracer.startSpan('internal', {});
      internal.end();
    }
    out.push(...mem.getFinishedSpans());
  }
  return out;
}

const decode = (b: Uint8Array): unknown => decodeRequest('traces', Buffer.from(b), 'protobuf');

test('the span encoder and the official serializer decode to the same request', () => {
  const spans = makeSpans();
  assert.ok(spans.length >= 12);
  const official = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
  const ours = encodeSpans(spans);
  assert.deepEqual(decode(ours), decode(official));
  // the writer is reusable, and a second encoding (cached keys and resources) is identical
  const w = new ProtoWriter(16);
  assert.deepEqual(encodeSpans(spans, w), ours);
  assert.deepEqual(encodeSpans(spans.slice(0, 3), w), encodeSpans(spans.slice(0, 3)));
});

test('big batches: lengths past one and two varint bytes are fixed up', () => {
  const spans = makeSpans();
  const many = Array.from({ length: 200 }, () => spans).flat();
  assert.deepEqual(decode(encodeSpans(many)), decode(ProtobufTraceSerializer.serializeRequest(many) as Uint8Array));
});

test('an id that is not hex is written as the official serializer writes it (and decodes the same)', () => {
  const [s] = makeSpans();
  const odd = { ...s!, spanContext: () => ({ ...s!.spanContext(), spanId: 'zz'.repeat(8) }) } as ReadableSpan;
  const official = ProtobufTraceSerializer.serializeRequest([odd]) as Uint8Array;
  const ours = encodeSpans([odd]);
  let a: unknown; let b: unknown;
  try { a = decode(official); } catch (e) { a = (e as Error).name; }
  try { b = decode(ours); } catch (e) { b = (e as Error).name; }
  assert.deepEqual(b, a);
});

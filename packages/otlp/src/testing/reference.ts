/**
 * Test helper: a second, independent protobuf decoder — protobufjs over
 * proto/descriptor.ts, converted to our types — to cross-check the
 * hand-written decoders (field numbers, wire types, 64-bit handling).
 * Slow and trusting; never use it on untrusted input outside tests.
 */
import { types } from '../proto/descriptor.js';
import type { AnyValue, Attributes, MetricData, RequestBySignal, Signal } from '../types.js';

// protobufjs toObject() output is untyped; this test-only helper reads it loosely.
type O = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const hexId = (b64: string): string => {
  const hex = Buffer.from(b64, 'base64').toString('hex');
  return /^0*$/.test(hex) ? '' : hex;
};

function anyValue(v: O | undefined | null): AnyValue {
  if (!v) return null;
  switch (v.value as string | undefined) {
    case 'stringValue': return v.stringValue;
    case 'boolValue': return v.boolValue;
    case 'intValue': {
      const n = Number(v.intValue);
      return Number.isSafeInteger(n) ? n : String(v.intValue);
    }
    case 'doubleValue': return v.doubleValue;
    case 'bytesValue': return v.bytesValue;
    case 'arrayValue': return (v.arrayValue.values as O[]).map(anyValue);
    case 'kvlistValue': return attrs(v.kvlistValue.values);
    default: return null;
  }
}

function attrs(list: O[]): Attributes {
  const out: Attributes = {};
  for (const kv of list) Object.defineProperty(out, kv.key, { value: anyValue(kv.value), enumerable: true, writable: true, configurable: true });
  return out;
}

const resource = (r: O | null) => ({ attributes: attrs(r?.attributes ?? []), droppedAttributesCount: r?.droppedAttributesCount ?? 0 });
const scope = (s: O | null) => ({
  name: s?.name ?? '',
  version: s?.version ?? '',
  attributes: attrs(s?.attributes ?? []),
  droppedAttributesCount: s?.droppedAttributesCount ?? 0,
});
const num = (p: O) => (p.value === 'asInt' ? Number(p.asInt) : p.value === 'asDouble' ? p.asDouble : 0);
const exemplar = (e: O) => ({
  filteredAttributes: attrs(e.filteredAttributes),
  timeUnixNano: e.timeUnixNano,
  value: num(e),
  spanId: hexId(e.spanId),
  traceId: hexId(e.traceId),
});
const base = (p: O) => ({ attributes: attrs(p.attributes), startTimeUnixNano: p.startTimeUnixNano, timeUnixNano: p.timeUnixNano, flags: p.flags });
const buckets = (b: O | null) => ({ offset: b?.offset ?? 0, bucketCounts: (b?.bucketCounts ?? []).map(String) });

function metricData(m: O): MetricData {
  switch (m.data as string | undefined) {
    case 'gauge':
      return { type: 'gauge', dataPoints: m.gauge.dataPoints.map((p: O) => ({ ...base(p), value: num(p), exemplars: p.exemplars.map(exemplar) })) };
    case 'sum':
      return {
        type: 'sum',
        dataPoints: m.sum.dataPoints.map((p: O) => ({ ...base(p), value: num(p), exemplars: p.exemplars.map(exemplar) })),
        aggregationTemporality: m.sum.aggregationTemporality,
        isMonotonic: m.sum.isMonotonic,
      };
    case 'histogram':
      return {
        type: 'histogram',
        aggregationTemporality: m.histogram.aggregationTemporality,
        dataPoints: m.histogram.dataPoints.map((p: O) => ({
          ...base(p), count: p.count, sum: p.sum, bucketCounts: p.bucketCounts, explicitBounds: p.explicitBounds,
          exemplars: p.exemplars.map(exemplar), min: p.min, max: p.max,
        })),
      };
    case 'exponentialHistogram':
      return {
        type: 'exponentialHistogram',
        aggregationTemporality: m.exponentialHistogram.aggregationTemporality,
        dataPoints: m.exponentialHistogram.dataPoints.map((p: O) => ({
          ...base(p), count: p.count, sum: p.sum, scale: p.scale, zeroCount: p.zeroCount,
          positive: buckets(p.positive), negative: buckets(p.negative), exemplars: p.exemplars.map(exemplar),
          min: p.min, max: p.max, zeroThreshold: p.zeroThreshold,
        })),
      };
    case 'summary':
      return {
        type: 'summary',
        dataPoints: m.summary.dataPoints.map((p: O) => ({
          ...base(p), count: p.count, sum: p.sum,
          quantileValues: p.quantileValues.map((q: O) => ({ quantile: q.quantile, value: q.value })),
        })),
      };
    default:
      return { type: 'empty' };
  }
}

/** Decodes with protobufjs and converts to the shapes of types.ts. */
export function referenceDecode<S extends Signal>(signal: S, body: Uint8Array): RequestBySignal[S] {
  const t = types.request[signal];
  const o = t.toObject(t.decode(body), { longs: String, enums: Number, bytes: String, defaults: true, arrays: true, oneofs: true });
  const envelope = (list: O[], scopeKey: string, itemKey: string, item: (x: O) => unknown) =>
    list.map((r) => ({
      resource: resource(r.resource),
      [scopeKey]: (r[scopeKey] as O[]).map((s) => ({ scope: scope(s.scope), [itemKey]: (s[itemKey] as O[]).map(item), schemaUrl: s.schemaUrl })),
      schemaUrl: r.schemaUrl,
    }));
  const out: O =
    signal === 'logs'
      ? {
          resourceLogs: envelope(o.resourceLogs, 'scopeLogs', 'logRecords', (l) => ({
            timeUnixNano: l.timeUnixNano, observedTimeUnixNano: l.observedTimeUnixNano, severityNumber: l.severityNumber,
            severityText: l.severityText, body: anyValue(l.body), attributes: attrs(l.attributes),
            droppedAttributesCount: l.droppedAttributesCount, flags: l.flags, traceId: hexId(l.traceId), spanId: hexId(l.spanId),
            eventName: l.eventName,
          })),
        }
      : signal === 'traces'
        ? {
            resourceSpans: envelope(o.resourceSpans, 'scopeSpans', 'spans', (s) => ({
              traceId: hexId(s.traceId), spanId: hexId(s.spanId), traceState: s.traceState, parentSpanId: hexId(s.parentSpanId),
              flags: s.flags, name: s.name, kind: s.kind, startTimeUnixNano: s.startTimeUnixNano, endTimeUnixNano: s.endTimeUnixNano,
              attributes: attrs(s.attributes), droppedAttributesCount: s.droppedAttributesCount,
              events: s.events.map((e: O) => ({ timeUnixNano: e.timeUnixNano, name: e.name, attributes: attrs(e.attributes), droppedAttributesCount: e.droppedAttributesCount })),
              droppedEventsCount: s.droppedEventsCount,
              links: s.links.map((k: O) => ({
                traceId: hexId(k.traceId), spanId: hexId(k.spanId), traceState: k.traceState, attributes: attrs(k.attributes),
                droppedAttributesCount: k.droppedAttributesCount, flags: k.flags,
              })),
              droppedLinksCount: s.droppedLinksCount,
              status: { message: s.status?.message ?? '', code: s.status?.code ?? 0 },
            })),
          }
        : {
            resourceMetrics: envelope(o.resourceMetrics, 'scopeMetrics', 'metrics', (m) => ({
              name: m.name, description: m.description, unit: m.unit, data: metricData(m), metadata: attrs(m.metadata),
            })),
          };
  return out as RequestBySignal[S];
}

/**
 * Our decoded types (types.ts) back to OTLP message objects with the
 * lowerCamelCase field names of proto/descriptor.ts. The same object feeds
 * protobufjs (json=false: ids and bytes as Uint8Array, 64-bit as bits) and
 * JSON.stringify (json=true: ids hex, bytes base64, 64-bit as decimal
 * strings, non-finite doubles as "NaN"/"Infinity"). Fields at their default
 * are left undefined, so both encoders omit them.
 */
import { PermanentError } from '@jobscope/core';
import type {
  AnyValue, Attributes, Exemplar, ExponentialHistogramBuckets, ExponentialHistogramDataPoint, HistogramDataPoint,
  InstrumentationScope, LogRecord, Metric, NumberDataPoint, Resource, Span, SummaryDataPoint,
} from './types.js';
import { decimalToBits, normalizeU64, type LongBits } from './wire/int64.js';

export type Wire = { [key: string]: unknown };

const HEX = /^[0-9a-f]*$/i;
const MAX_DEPTH = 64;

export class Builder {
  constructor(readonly json: boolean) {}

  id(hex: string, bytes: number, field: string): string | Uint8Array | undefined {
    if (hex === '') return undefined;
    if (hex.length !== bytes * 2 || !HEX.test(hex)) throw new PermanentError(`cannot encode ${field} ${JSON.stringify(hex)}: expected ${bytes * 2} hex characters`);
    return this.json ? hex.toLowerCase() : Buffer.from(hex, 'hex');
  }

  /** fixed64/uint64 decimal string; undefined for '0'. */
  u64(s: string, field: string): string | LongBits | undefined {
    const n = normalizeU64(s);
    if (n === undefined) throw new PermanentError(`cannot encode ${field} ${JSON.stringify(s)}: expected a uint64 decimal string`);
    if (n === '0') return undefined;
    return this.json ? n : decimalToBits(n, true);
  }

  u64List(list: string[], field: string): (string | LongBits)[] {
    return list.map((s) => this.u64(s, field) ?? (this.json ? '0' : 0)) as (string | LongBits)[];
  }

  double(v: number): number | string | undefined {
    if (v === 0 && !Object.is(v, -0)) return undefined;
    return this.dbl(v);
  }

  /** A double that must be present (list elements, oneof members). */
  dbl(v: number): number | string {
    if (!this.json) return v;
    if (Number.isFinite(v)) return Object.is(v, -0) ? '-0' : v; // JSON.stringify(-0) would drop the sign
    return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  }

  /** An AnyValue; integers (not -0) within ±2^53 become intValue, other numbers doubleValue. */
  anyValue(v: AnyValue, depth = 0): Wire {
    if (depth > MAX_DEPTH) throw new PermanentError(`cannot encode an AnyValue nested deeper than ${MAX_DEPTH} levels`);
    if (v === null || v === undefined) return {};
    switch (typeof v) {
      case 'string': return { stringValue: v };
      case 'boolean': return { boolValue: v };
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) return { intValue: this.json ? String(v) : v };
        return { doubleValue: this.dbl(v) };
      default:
        if (Array.isArray(v)) return { arrayValue: { values: v.map((x) => this.anyValue(x, depth + 1)) } };
        return { kvlistValue: { values: this.keyValues(v, depth + 1) } };
    }
  }

  keyValues(attrs: Attributes, depth = 0): Wire[] {
    const keys = Object.keys(attrs);
    const out: Wire[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = { key: keys[i], value: this.anyValue(attrs[keys[i]], depth) };
    return out;
  }

  count(n: number): number | undefined {
    return n === 0 ? undefined : n;
  }

  str(s: string): string | undefined {
    return s === '' ? undefined : s;
  }

  resource(r: Resource): Wire {
    return { attributes: this.keyValues(r.attributes), droppedAttributesCount: this.count(r.droppedAttributesCount) };
  }

  scope(s: InstrumentationScope): Wire {
    return {
      name: this.str(s.name),
      version: this.str(s.version),
      attributes: this.keyValues(s.attributes),
      droppedAttributesCount: this.count(s.droppedAttributesCount),
    };
  }

  logRecord(l: LogRecord): Wire {
    return {
      timeUnixNano: this.u64(l.timeUnixNano, 'timeUnixNano'),
      observedTimeUnixNano: this.u64(l.observedTimeUnixNano, 'observedTimeUnixNano'),
      severityNumber: this.count(l.severityNumber),
      severityText: this.str(l.severityText),
      body: l.body === null ? undefined : this.anyValue(l.body),
      attributes: this.keyValues(l.attributes),
      droppedAttributesCount: this.count(l.droppedAttributesCount),
      flags: this.count(l.flags),
      traceId: this.id(l.traceId, 16, 'traceId'),
      spanId: this.id(l.spanId, 8, 'spanId'),
      eventName: this.str(l.eventName),
    };
  }

  span(s: Span): Wire {
    return {
      traceId: this.id(s.traceId, 16, 'traceId'),
      spanId: this.id(s.spanId, 8, 'spanId'),
      traceState: this.str(s.traceState),
      parentSpanId: this.id(s.parentSpanId, 8, 'parentSpanId'),
      flags: this.count(s.flags),
      name: this.str(s.name),
      kind: this.count(s.kind),
      startTimeUnixNano: this.u64(s.startTimeUnixNano, 'startTimeUnixNano'),
      endTimeUnixNano: this.u64(s.endTimeUnixNano, 'endTimeUnixNano'),
      attributes: this.keyValues(s.attributes),
      droppedAttributesCount: this.count(s.droppedAttributesCount),
      events: s.events.map((e) => ({
        timeUnixNano: this.u64(e.timeUnixNano, 'timeUnixNano'),
        name: this.str(e.name),
        attributes: this.keyValues(e.attributes),
        droppedAttributesCount: this.count(e.droppedAttributesCount),
      })),
      droppedEventsCount: this.count(s.droppedEventsCount),
      links: s.links.map((k) => ({
        traceId: this.id(k.traceId, 16, 'traceId'),
        spanId: this.id(k.spanId, 8, 'spanId'),
        traceState: this.str(k.traceState),
        attributes: this.keyValues(k.attributes),
        droppedAttributesCount: this.count(k.droppedAttributesCount),
        flags: this.count(k.flags),
      })),
      droppedLinksCount: this.count(s.droppedLinksCount),
      status: s.status.code === 0 && s.status.message === '' ? undefined : { message: this.str(s.status.message), code: this.count(s.status.code) },
    };
  }

  exemplar(e: Exemplar): Wire {
    return {
      filteredAttributes: this.keyValues(e.filteredAttributes),
      timeUnixNano: this.u64(e.timeUnixNano, 'timeUnixNano'),
      asDouble: this.dbl(e.value),
      spanId: this.id(e.spanId, 8, 'spanId'),
      traceId: this.id(e.traceId, 16, 'traceId'),
    };
  }

  /** The fields every data point has. */
  private pointBase(p: { attributes: Attributes; startTimeUnixNano: string; timeUnixNano: string; flags: number }): Wire {
    return {
      attributes: this.keyValues(p.attributes),
      startTimeUnixNano: this.u64(p.startTimeUnixNano, 'startTimeUnixNano'),
      timeUnixNano: this.u64(p.timeUnixNano, 'timeUnixNano'),
      flags: this.count(p.flags),
    };
  }

  numberPoint(p: NumberDataPoint): Wire {
    // value is a plain number in our types: as_double carries it exactly
    return { ...this.pointBase(p), asDouble: this.dbl(p.value), exemplars: p.exemplars.map((e) => this.exemplar(e)) };
  }

  histogramPoint(p: HistogramDataPoint): Wire {
    return {
      ...this.pointBase(p),
      count: this.u64(p.count, 'count'),
      sum: this.double(p.sum),
      bucketCounts: this.u64List(p.bucketCounts, 'bucketCounts'),
      explicitBounds: p.explicitBounds.map((b) => this.dbl(b)),
      exemplars: p.exemplars.map((e) => this.exemplar(e)),
      min: this.double(p.min),
      max: this.double(p.max),
    };
  }

  private buckets(b: ExponentialHistogramBuckets): Wire | undefined {
    if (b.offset === 0 && b.bucketCounts.length === 0) return undefined;
    return { offset: this.count(b.offset), bucketCounts: this.u64List(b.bucketCounts, 'bucketCounts') };
  }

  exponentialPoint(p: ExponentialHistogramDataPoint): Wire {
    return {
      ...this.pointBase(p),
      count: this.u64(p.count, 'count'),
      sum: this.double(p.sum),
      scale: this.count(p.scale),
      zeroCount: this.u64(p.zeroCount, 'zeroCount'),
      positive: this.buckets(p.positive),
      negative: this.buckets(p.negative),
      exemplars: p.exemplars.map((e) => this.exemplar(e)),
      min: this.double(p.min),
      max: this.double(p.max),
      zeroThreshold: this.double(p.zeroThreshold),
    };
  }

  summaryPoint(p: SummaryDataPoint): Wire {
    return {
      ...this.pointBase(p),
      count: this.u64(p.count, 'count'),
      sum: this.double(p.sum),
      quantileValues: p.quantileValues.map((q) => ({ quantile: this.double(q.quantile), value: this.double(q.value) })),
    };
  }

  metric(m: Metric): Wire {
    const out: Wire = { name: this.str(m.name), description: this.str(m.description), unit: this.str(m.unit), metadata: this.keyValues(m.metadata) };
    const d = m.data;
    switch (d.type) {
      case 'gauge':
        out.gauge = { dataPoints: d.dataPoints.map((p) => this.numberPoint(p)) };
        break;
      case 'sum':
        out.sum = {
          dataPoints: d.dataPoints.map((p) => this.numberPoint(p)),
          aggregationTemporality: this.count(d.aggregationTemporality),
          isMonotonic: d.isMonotonic || undefined,
        };
        break;
      case 'histogram':
        out.histogram = { dataPoints: d.dataPoints.map((p) => this.histogramPoint(p)), aggregationTemporality: this.count(d.aggregationTemporality) };
        break;
      case 'exponentialHistogram':
        out.exponentialHistogram = {
          dataPoints: d.dataPoints.map((p) => this.exponentialPoint(p)),
          aggregationTemporality: this.count(d.aggregationTemporality),
        };
        break;
      case 'summary':
        out.summary = { dataPoints: d.dataPoints.map((p) => this.summaryPoint(p)) };
        break;
      case 'empty':
        break;
    }
    return out;
  }
}

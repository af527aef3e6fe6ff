/** Protobuf decoding of metrics/v1 data points and exemplars. */
import type {
  Attributes,
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
} from '../types.js';
import { i64ToNumber } from '../wire/int64.js';
import { Malformed, rethrowAt } from '../wire/malformed.js';
import type { ProtoReader } from '../wire/reader.js';
import { attribute } from './decode-common.js';

function exemplar(r: ProtoReader): Exemplar {
  const pe = r.enter();
  const filteredAttributes: Attributes = {};
  let timeUnixNano = '0';
  let value = 0;
  let spanId = '';
  let traceId = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 58: // 7 filtered_attributes
        attribute(r, filteredAttributes, 'filteredAttributes');
        continue;
      case 17: // 2 time_unix_nano, fixed64
        timeUnixNano = r.fixed64String();
        continue;
      case 25: // 3 as_double
        value = r.double();
        continue;
      case 49: // 6 as_int, sfixed64
        r.readFixed64();
        value = i64ToNumber(r.lo, r.hi);
        continue;
      case 34: // 4 span_id
        spanId = r.id(8, 'spanId');
        continue;
      case 42: // 5 trace_id
        traceId = r.id(16, 'traceId');
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return { filteredAttributes, timeUnixNano, value, spanId, traceId };
}

export function pushExemplar(r: ProtoReader, out: Exemplar[]): void {
  try {
    out.push(exemplar(r));
  } catch (e) {
    rethrowAt(e, `exemplars[${out.length}]`);
  }
}

/** repeated fixed64, packed (LEN) or not (I64): appends decimal strings. */
function fixed64s(r: ProtoReader, wireType: number, out: string[]): void {
  if (wireType === 1) {
    out.push(r.fixed64String());
    return;
  }
  const pe = r.enter();
  if ((r.end - r.pos) % 8 !== 0) throw new Malformed(`packed fixed64 field of ${r.end - r.pos} bytes at byte ${r.pos}`);
  while (r.pos < r.end) out.push(r.fixed64String());
  r.leave(pe);
}

/** repeated double, packed (LEN) or not (I64). */
function doubles(r: ProtoReader, wireType: number, out: number[]): void {
  if (wireType === 1) {
    out.push(r.double());
    return;
  }
  const pe = r.enter();
  if ((r.end - r.pos) % 8 !== 0) throw new Malformed(`packed double field of ${r.end - r.pos} bytes at byte ${r.pos}`);
  while (r.pos < r.end) out.push(r.double());
  r.leave(pe);
}

/** repeated uint64, packed (LEN) or not (VARINT). */
function uint64s(r: ProtoReader, wireType: number, out: string[]): void {
  if (wireType === 0) {
    out.push(r.uint64String());
    return;
  }
  const pe = r.enter();
  while (r.pos < r.end) out.push(r.uint64String());
  r.leave(pe);
}

export function numberDataPoint(r: ProtoReader): NumberDataPoint {
  const pe = r.enter();
  const attributes: Attributes = {};
  let startTimeUnixNano = '0';
  let timeUnixNano = '0';
  let value = 0;
  const exemplars: Exemplar[] = [];
  let flags = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 58: // 7 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 17: // 2 start_time_unix_nano
        startTimeUnixNano = r.fixed64String();
        continue;
      case 25: // 3 time_unix_nano
        timeUnixNano = r.fixed64String();
        continue;
      case 33: // 4 as_double
        value = r.double();
        continue;
      case 49: // 6 as_int, sfixed64
        r.readFixed64();
        value = i64ToNumber(r.lo, r.hi);
        continue;
      case 42: // 5 exemplars
        pushExemplar(r, exemplars);
        continue;
      case 64: // 8 flags
        flags = r.uint32();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return { attributes, startTimeUnixNano, timeUnixNano, value, exemplars, flags };
}

export function histogramDataPoint(r: ProtoReader): HistogramDataPoint {
  const pe = r.enter();
  const attributes: Attributes = {};
  let startTimeUnixNano = '0';
  let timeUnixNano = '0';
  let count = '0';
  let sum = 0;
  const bucketCounts: string[] = [];
  const explicitBounds: number[] = [];
  const exemplars: Exemplar[] = [];
  let flags = 0;
  let min = 0;
  let max = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 74: // 9 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 17: // 2 start_time_unix_nano
        startTimeUnixNano = r.fixed64String();
        continue;
      case 25: // 3 time_unix_nano
        timeUnixNano = r.fixed64String();
        continue;
      case 33: // 4 count, fixed64
        count = r.fixed64String();
        continue;
      case 41: // 5 sum, optional double
        sum = r.double();
        continue;
      case 50: // 6 bucket_counts, packed fixed64
      case 49: // 6 bucket_counts, unpacked
        fixed64s(r, tag & 7, bucketCounts);
        continue;
      case 58: // 7 explicit_bounds, packed double
      case 57: // 7 explicit_bounds, unpacked
        doubles(r, tag & 7, explicitBounds);
        continue;
      case 66: // 8 exemplars
        pushExemplar(r, exemplars);
        continue;
      case 80: // 10 flags
        flags = r.uint32();
        continue;
      case 89: // 11 min, optional double
        min = r.double();
        continue;
      case 97: // 12 max, optional double
        max = r.double();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return { attributes, startTimeUnixNano, timeUnixNano, count, sum, bucketCounts, explicitBounds, exemplars, flags, min, max };
}

function buckets(r: ProtoReader): ExponentialHistogramBuckets {
  const pe = r.enter();
  let offset = 0;
  const bucketCounts: string[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 8) offset = r.sint32(); // 1 offset, sint32
    else if (tag === 18 || tag === 16) uint64s(r, tag & 7, bucketCounts); // 2 bucket_counts, packed or not
    else r.skip(tag & 7);
  }
  r.leave(pe);
  return { offset, bucketCounts };
}

export function exponentialHistogramDataPoint(r: ProtoReader): ExponentialHistogramDataPoint {
  const pe = r.enter();
  const attributes: Attributes = {};
  let startTimeUnixNano = '0';
  let timeUnixNano = '0';
  let count = '0';
  let sum = 0;
  let scale = 0;
  let zeroCount = '0';
  let positive: ExponentialHistogramBuckets = { offset: 0, bucketCounts: [] };
  let negative: ExponentialHistogramBuckets = { offset: 0, bucketCounts: [] };
  let flags = 0;
  const exemplars: Exemplar[] = [];
  let min = 0;
  let max = 0;
  let zeroThreshold = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 17: // 2 start_time_unix_nano
        startTimeUnixNano = r.fixed64String();
        continue;
      case 25: // 3 time_unix_nano
        timeUnixNano = r.fixed64String();
        continue;
      case 33: // 4 count, fixed64
        count = r.fixed64String();
        continue;
      case 41: // 5 sum, optional double
        sum = r.double();
        continue;
      case 48: // 6 scale, sint32
        scale = r.sint32();
        continue;
      case 57: // 7 zero_count, fixed64
        zeroCount = r.fixed64String();
        continue;
      case 66: // 8 positive
        positive = buckets(r);
        continue;
      case 74: // 9 negative
        negative = buckets(r);
        continue;
      case 80: // 10 flags
        flags = r.uint32();
        continue;
      case 90: // 11 exemplars
        pushExemplar(r, exemplars);
        continue;
      case 97: // 12 min, optional double
        min = r.double();
        continue;
      case 105: // 13 max, optional double
        max = r.double();
        continue;
      case 113: // 14 zero_threshold, double
        zeroThreshold = r.double();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return {
    attributes, startTimeUnixNano, timeUnixNano, count, sum, scale, zeroCount,
    positive, negative, flags, exemplars, min, max, zeroThreshold,
  };
}

function valueAtQuantile(r: ProtoReader): { quantile: number; value: number } {
  const pe = r.enter();
  let quantile = 0;
  let value = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 9) quantile = r.double(); // 1 quantile
    else if (tag === 17) value = r.double(); // 2 value
    else r.skip(tag & 7);
  }
  r.leave(pe);
  return { quantile, value };
}

export function summaryDataPoint(r: ProtoReader): SummaryDataPoint {
  const pe = r.enter();
  const attributes: Attributes = {};
  let startTimeUnixNano = '0';
  let timeUnixNano = '0';
  let count = '0';
  let sum = 0;
  const quantileValues: { quantile: number; value: number }[] = [];
  let flags = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 58: // 7 attributes
        attribute(r, attributes, 'attributes');
        continue;
      case 17: // 2 start_time_unix_nano
        startTimeUnixNano = r.fixed64String();
        continue;
      case 25: // 3 time_unix_nano
        timeUnixNano = r.fixed64String();
        continue;
      case 33: // 4 count, fixed64
        count = r.fixed64String();
        continue;
      case 41: // 5 sum, double
        sum = r.double();
        continue;
      case 50: // 6 quantile_values
        quantileValues.push(valueAtQuantile(r));
        continue;
      case 64: // 8 flags
        flags = r.uint32();
        continue;
      default:
        r.skip(tag & 7);
    }
  }
  r.leave(pe);
  return { attributes, startTimeUnixNano, timeUnixNano, count, sum, quantileValues, flags };
}

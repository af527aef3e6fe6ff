/**
 * Test fixtures: one request per signal in our types, using every field and
 * the awkward values (64-bit extremes, unicode, nested AnyValues, non-finite
 * doubles, empty strings, the "__proto__" key).
 */
import type { Attributes, ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, LogRecord } from '../types.js';

const protoKeyAttrs = (): Attributes => {
  const a: Attributes = { ordinary: 'yes' };
  Object.defineProperty(a, '__proto__', { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
  return a;
};

export const ATTRS: Attributes = {
  str: 'héllo wörld ✓ 日本 🚀',
  empty: '',
  int: 42,
  neg: -9007199254740991,
  big: '9223372036854775807', // int64 beyond 2^53: kept exact as a string
  dbl: 3.14159,
  nan: NaN,
  inf: -Infinity,
  bool: false,
  nil: null,
  arr: [1, 'two', true, null, [2.5, []], {}],
  kv: { a: { b: { c: 'deep' } }, list: [{ x: 1 }] },
  'clé ✓ 日本': 'non-ASCII key',
  ['k'.repeat(49)]: 'a key longer than the intern limit',
  '': 'empty key',
};

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';

export function logRecord(i: number, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: String(1700000000000000000n + BigInt(i) * 1_000_001n),
    observedTimeUnixNano: '1700000000999999999',
    severityNumber: 1 + (i % 24),
    severityText: i % 2 === 0 ? 'INFO' : 'ERROR',
    body: i % 3 === 0 ? `log line ${i} for job-${i % 97}` : { message: `structured ${i}`, code: i, nested: [i, 'x'] },
    attributes: { 'job.id': `job-${i % 97}`, 'service.type': 'comfyui', attempt: i % 5, 'gpu.util': 0.5 + (i % 10) / 20, ok: i % 2 === 0 },
    droppedAttributesCount: i % 3,
    flags: i % 2,
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    eventName: i % 4 === 0 ? 'job.progress' : '',
    ...overrides,
  };
}

export const LOGS: ExportLogsServiceRequest = {
  resourceLogs: [
    {
      resource: { attributes: { 'service.name': 'worker', 'machine.id': 'm-1', ...ATTRS }, droppedAttributesCount: 1 },
      scopeLogs: [
        {
          scope: { name: 'jobscope', version: '1.0.0', attributes: { 'scope.attr': 1 }, droppedAttributesCount: 2 },
          logRecords: [
            logRecord(0, { attributes: ATTRS, body: ATTRS.kv }),
            logRecord(1, { timeUnixNano: '18446744073709551615', observedTimeUnixNano: '0', traceId: '', spanId: '' }),
            logRecord(2, { body: null, attributes: protoKeyAttrs(), severityText: '', flags: 0xffffffff }),
            logRecord(3, { body: ['a', 1, { b: null }] }),
          ],
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        },
        { scope: { name: '', version: '', attributes: {}, droppedAttributesCount: 0 }, logRecords: [], schemaUrl: '' },
      ],
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    },
    { resource: { attributes: {}, droppedAttributesCount: 0 }, scopeLogs: [], schemaUrl: '' },
  ],
};

export const TRACES: ExportTraceServiceRequest = {
  resourceSpans: [
    {
      resource: { attributes: { 'service.name': 'worker' }, droppedAttributesCount: 0 },
      scopeSpans: [
        {
          scope: { name: 'tracer', version: '2', attributes: {}, droppedAttributesCount: 0 },
          spans: [
            {
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              traceState: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
              parentSpanId: '00f067aa0ba902b7',
              flags: 0x301,
              name: 'job.run',
              kind: 5,
              startTimeUnixNano: '1700000000000000001',
              endTimeUnixNano: '1700000009999999999',
              attributes: ATTRS,
              droppedAttributesCount: 3,
              events: [
                { timeUnixNano: '1700000000500000000', name: 'progress', attributes: { percent: 50 }, droppedAttributesCount: 1 },
                { timeUnixNano: '0', name: '', attributes: {}, droppedAttributesCount: 0 },
              ],
              droppedEventsCount: 4,
              links: [
                { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceState: 'a=b', attributes: { l: true }, droppedAttributesCount: 0, flags: 1 },
              ],
              droppedLinksCount: 5,
              status: { message: 'CUDA out of memory', code: 2 },
            },
            {
              traceId: TRACE_ID,
              spanId: '0000000000000001',
              traceState: '',
              parentSpanId: '',
              flags: 0,
              name: 'root',
              kind: 0,
              startTimeUnixNano: '0',
              endTimeUnixNano: '0',
              attributes: {},
              droppedAttributesCount: 0,
              events: [],
              droppedEventsCount: 0,
              links: [],
              droppedLinksCount: 0,
              status: { message: '', code: 0 },
            },
          ],
          schemaUrl: '',
        },
      ],
      schemaUrl: '',
    },
  ],
};

const point = { startTimeUnixNano: '1700000000000000000', timeUnixNano: '1700000060000000000', flags: 0 };
const exemplar = { filteredAttributes: { user: 'u1' }, timeUnixNano: '1700000001000000000', value: 12.5, spanId: SPAN_ID, traceId: TRACE_ID };

export const METRICS: ExportMetricsServiceRequest = {
  resourceMetrics: [
    {
      resource: { attributes: { 'service.name': 'agent', 'host.name': 'gpu-01' }, droppedAttributesCount: 0 },
      scopeMetrics: [
        {
          scope: { name: 'meter', version: '3', attributes: {}, droppedAttributesCount: 0 },
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
          metrics: [
            {
              name: 'gpu.temp', description: 'temperature', unit: 'Cel', metadata: { source: 'nvml' },
              data: { type: 'gauge', dataPoints: [{ ...point, attributes: { gpu: 0 }, value: 71.5, exemplars: [exemplar], flags: 1 }] },
            },
            {
              name: 'jobs', description: '', unit: '{job}', metadata: {},
              data: {
                type: 'sum', aggregationTemporality: 1, isMonotonic: true,
                dataPoints: [
                  { ...point, attributes: { ok: true }, value: 9007199254740991, exemplars: [], flags: 0 },
                  { ...point, attributes: {}, value: -0.25, exemplars: [], flags: 0 },
                  { ...point, attributes: {}, value: NaN, exemplars: [], flags: 0 },
                ],
              },
            },
            {
              name: 'latency', description: 'job latency', unit: 'ms', metadata: {},
              data: {
                type: 'histogram', aggregationTemporality: 2,
                dataPoints: [{
                  ...point, attributes: { route: '/x' }, count: '18446744073709551615', sum: 1234.5,
                  bucketCounts: ['1', '0', '18446744073709551614'], explicitBounds: [-Infinity, 10.5],
                  exemplars: [exemplar], min: -1, max: Infinity,
                }],
              },
            },
            {
              name: 'latency.exp', description: '', unit: 's', metadata: {},
              data: {
                type: 'exponentialHistogram', aggregationTemporality: 2,
                dataPoints: [{
                  ...point, attributes: {}, count: '12', sum: 99.5, scale: -3, zeroCount: '2',
                  positive: { offset: -5, bucketCounts: ['1', '0', '9007199254740993'] },
                  negative: { offset: 7, bucketCounts: ['4'] },
                  exemplars: [], min: 0.001, max: 50, zeroThreshold: 1e-9,
                }],
              },
            },
            {
              name: 'rpc.summary', description: '', unit: '', metadata: {},
              data: {
                type: 'summary',
                dataPoints: [{ ...point, attributes: {}, count: '3', sum: 6, quantileValues: [{ quantile: 0, value: 1 }, { quantile: 0.5, value: 2 }, { quantile: 1, value: 3 }] }],
              },
            },
            { name: 'empty', description: '', unit: '', metadata: {}, data: { type: 'empty' } },
          ],
        },
      ],
      schemaUrl: '',
    },
  ],
};

/** A logs request of `n` records in one resource/scope, for benchmarks. */
export function logsOf(n: number): ExportLogsServiceRequest {
  const records: LogRecord[] = [];
  for (let i = 0; i < n; i++) records.push(logRecord(i));
  return {
    resourceLogs: [{
      resource: { attributes: { 'service.name': 'worker', 'machine.id': 'm-1', 'host.name': 'gpu-01' }, droppedAttributesCount: 0 },
      scopeLogs: [{ scope: { name: 'jobscope', version: '1.0.0', attributes: {}, droppedAttributesCount: 0 }, logRecords: records, schemaUrl: '' }],
      schemaUrl: '',
    }],
  };
}

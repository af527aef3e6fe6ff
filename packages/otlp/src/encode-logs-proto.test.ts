/** The direct logs encoder says exactly what the general (wire-object) path says. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentError } from '@jobscope/core';
import { decodeRequest } from './decode.js';
import { encodeLogsViaWire } from './encode.js';
import { encodeLogsProto } from './encode-logs-proto.js';
import { LOGS, logRecord, logsOf } from './testing/fixtures.js';
import type { ExportLogsServiceRequest } from './types.js';

const both = (req: ExportLogsServiceRequest): void => {
  const direct = decodeRequest('logs', encodeLogsProto(req), 'protobuf');
  const general = decodeRequest('logs', encodeLogsViaWire(req), 'protobuf');
  assert.deepEqual(direct, general);
};

test('parity on the fixtures (every field, awkward values, nested AnyValues)', () => {
  both(LOGS);
  both(logsOf(500));
  both({ resourceLogs: [] });
});

test('parity on edge values', () => {
  const edge = (over: Parameters<typeof logRecord>[1]): ExportLogsServiceRequest => ({
    resourceLogs: [{
      resource: { attributes: {}, droppedAttributesCount: 0 }, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeLogs: [{ scope: { name: '', version: '', attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', logRecords: [logRecord(1, over)] }],
    }],
  });
  for (const over of [
    { timeUnixNano: '0', observedTimeUnixNano: '18446744073709551615' },
    { timeUnixNano: '1', traceId: '', spanId: '' },
    { body: -0 }, { body: 2 ** 53 }, { body: -(2 ** 53) + 1 }, { body: 0.1 }, { body: Number.NaN }, { body: null },
    { body: [] }, { body: {} }, { body: true }, { body: '' },
    { severityNumber: 0, severityText: '', flags: 0xffffffff, droppedAttributesCount: 0, eventName: 'e' },
    { traceId: 'ABCDEF0123456789ABCDEF0123456789', spanId: 'ABCDEF0123456789' },
  ] as Partial<import("./types.js").LogRecord>[]) both(edge(over));
});

test('invalid ids and times are refused as the general path refuses them', () => {
  const bad = (over: Parameters<typeof logRecord>[1]): ExportLogsServiceRequest => ({
    resourceLogs: [{ resource: { attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{ scope: { name: '', version: '', attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', logRecords: [logRecord(1, over)] }] }],
  });
  for (const over of [{ traceId: 'xyz' }, { spanId: '123' }, { timeUnixNano: '-1' }, { timeUnixNano: '18446744073709551616' }, { observedTimeUnixNano: '1.5' }]) {
    assert.throws(() => encodeLogsProto(bad(over)), PermanentError);
    assert.throws(() => encodeLogsViaWire(bad(over)), PermanentError);
  }
});

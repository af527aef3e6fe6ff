import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, type ExportLogsServiceRequest } from '@jobscope/otlp';
import { logsRequest, textToLogRecord } from '../receivers/shared/structured-log.js';
import { encodeTelemetryRecord, readTelemetryHeader, telemetryPayload } from './telemetry-record.js';

const req = (bodies: string[]): ExportLogsServiceRequest =>
  logsRequest({ 'service.name': 's' }, 'scope', bodies.map((b) => textToLogRecord(b, '', '1700000000000000000')));

test('header round trip', () => {
  const rec = encodeTelemetryRecord({ signal: 'logs', request: req(['a', 'b', 'c']) }, 1234.5);
  assert.deepEqual(readTelemetryHeader(rec), { signal: 'logs', receivedAtMs: 1234.5, items: 3 });
});

test('payloads of one signal concatenate into one valid request holding both', () => {
  const a = encodeTelemetryRecord({ signal: 'logs', request: req(['one', 'two']) });
  const b = encodeTelemetryRecord({ signal: 'logs', request: req(['three']) });
  const body = Buffer.concat([telemetryPayload(a), telemetryPayload(b)]);
  const decoded = decodeRequest('logs', body, 'protobuf');
  const bodies = decoded.resourceLogs.flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((l) => l.body)));
  assert.deepEqual(bodies, ['one', 'two', 'three']);
});

test('garbage is refused, not misread', () => {
  assert.throws(() => readTelemetryHeader(new Uint8Array([9, 0, 0])), /not a telemetry record/);
  const rec = encodeTelemetryRecord({ signal: 'logs', request: req(['x']) });
  rec[1] = 7;
  assert.throws(() => readTelemetryHeader(rec), /unknown signal/);
});

test('other signals: header and payload too', () => {
  const span = {
    traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceState: '', parentSpanId: '', flags: 0, name: 's', kind: 1,
    startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: {}, droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [],
    droppedLinksCount: 0, status: { message: '', code: 0 },
  };
  const request = { resourceSpans: [{ resource: { attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope: { name: '', version: '', attributes: {}, droppedAttributesCount: 0 }, schemaUrl: '', spans: [span, span] }] }] };
  const rec = encodeTelemetryRecord({ signal: 'traces', request }, 7);
  assert.deepEqual(readTelemetryHeader(rec), { signal: 'traces', receivedAtMs: 7, items: 2 });
  assert.equal(decodeRequest('traces', telemetryPayload(rec), 'protobuf').resourceSpans[0]!.scopeSpans[0]!.spans.length, 2);
});

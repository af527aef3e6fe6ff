/**
 * Decoding what the official OpenTelemetry JS log exporters send (protobuf
 * and JSON), with exact ids, timestamps and values.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { decodeRequest, type Encoding, type LogRecord } from './index.js';
import { CaptureServer, hrToNs } from './testing/capture-server.js';
import { referenceDecode } from './testing/reference.js';

const server = new CaptureServer();
before(() => server.start());
after(() => server.stop());

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

const ATTRS = {
  str: 'värde ✓',
  int: 42,
  neg: -7,
  dbl: 1.25,
  bool: true,
  strs: ['a', 'b'],
  ints: [1, 2, 3],
  dbls: [0.5, 1.5],
  bools: [true, false],
};

async function exportLogs(encoding: Encoding) {
  const url = `${server.url}/v1/logs`;
  const exporter: LogRecordExporter = encoding === 'protobuf' ? new ProtoLogExporter({ url }) : new JsonLogExporter({ url });
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'jobscope-test', 'worker.slots': 4 }),
    processors: [new BatchLogRecordProcessor({ exporter }), new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('jobscope.test', '1.2.3');
  const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  logger.emit({
    timestamp: [1700000000, 123456789],
    observedTimestamp: [1700000000, 987654321],
    severityNumber: SeverityNumber.ERROR,
    severityText: 'ERROR',
    body: 'CUDA out of memory',
    attributes: ATTRS,
    context: ctx,
    eventName: 'job.failed',
  });
  logger.emit({
    timestamp: new Date(),
    severityNumber: SeverityNumber.INFO,
    body: { msg: 'map body', n: 3, nested: { ok: true, list: ['x', 1.5] } },
  });
  logger.emit({ body: new Uint8Array([0, 1, 2, 253, 254, 255]) });
  await provider.forceFlush();
  const recorded = memory.getFinishedLogRecords();
  await provider.shutdown();
  return recorded;
}

for (const encoding of ['protobuf', 'json'] as const) {
  test(`official ${encoding} log exporter: exact decode`, async () => {
    const recorded = await exportLogs(encoding);
    const captured = server.take('/v1/logs');
    assert.ok(captured.length >= 1);
    if (encoding === 'protobuf') {
      // an independent decoder (protobufjs over our descriptor) agrees field for field
      for (const c of captured) assert.deepEqual(decodeRequest('logs', c.body, 'protobuf'), referenceDecode('logs', c.body));
    }
    assert.match(captured[0].contentType, encoding === 'json' ? /application\/json/ : /application\/x-protobuf/);

    const decoded = captured.map((c) => decodeRequest('logs', c.body, encoding));
    const resources = decoded.flatMap((d) => d.resourceLogs);
    assert.deepEqual(resources[0].resource, {
      attributes: { ...resources[0].resource.attributes, 'service.name': 'jobscope-test', 'worker.slots': 4 },
      droppedAttributesCount: 0,
    });
    const scopes = resources.flatMap((r) => r.scopeLogs);
    assert.equal(scopes[0].scope.name, 'jobscope.test');
    assert.equal(scopes[0].scope.version, '1.2.3');
    const records: LogRecord[] = scopes.flatMap((s) => s.logRecords);
    assert.equal(records.length, 3);

    assert.deepEqual(records[0], {
      timeUnixNano: '1700000000123456789',
      observedTimeUnixNano: '1700000000987654321',
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'CUDA out of memory',
      attributes: ATTRS,
      droppedAttributesCount: 0,
      flags: 1,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      eventName: 'job.failed',
    });

    // timestamps the SDK took itself: exactly what it recorded, to the ns
    assert.equal(records[1].timeUnixNano, hrToNs(recorded[1].hrTime));
    assert.equal(records[1].observedTimeUnixNano, hrToNs(recorded[1].hrTimeObserved));
    assert.equal(records[2].observedTimeUnixNano, hrToNs(recorded[2].hrTimeObserved));
    assert.deepEqual(records[1].body, { msg: 'map body', n: 3, nested: { ok: true, list: ['x', 1.5] } });
    assert.equal(records[1].severityNumber, 9);
    assert.equal(records[1].traceId, '');
    assert.equal(records[1].spanId, '');
    assert.equal(records[1].flags, 0);
    assert.equal(records[2].body, Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64'));
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { JobscopeError } from '@jobscope/core';
import type { ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest, LogRecord } from '@jobscope/otlp';
import type { Telemetry } from '../../telemetry.js';
import { createEnrichProcessor } from './index.js';

const rec = (over: Partial<LogRecord> = {}): LogRecord => ({
  timeUnixNano: '1764324000000000000', observedTimeUnixNano: '0', severityNumber: 9, severityText: 'INFO', body: 'x',
  attributes: {}, droppedAttributesCount: 0, flags: 0, traceId: '', spanId: '', eventName: '', ...over,
});
const scope = { name: 's', version: '', attributes: {}, droppedAttributesCount: 0 };
const logs = (resource: Record<string, string>, records: LogRecord[]): Telemetry => ({
  signal: 'logs',
  request: { resourceLogs: [{ resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: records }] }] },
});

test('fills machine, host, region, environment and agent version on a bare resource', () => {
  const p = createEnrichProcessor({ machineId: 'gpu-7', hostName: 'box-7', region: 'eu-west-1', environment: 'prod', agentVersion: '0.1.0' });
  const t = logs({ 'service.name': 'worker' }, [rec()]);
  assert.equal(p.process(t), t);
  assert.deepEqual((t.request as ExportLogsServiceRequest).resourceLogs[0]!.resource.attributes, {
    'service.name': 'worker', machine_id: 'gpu-7', 'host.name': 'box-7', 'cloud.region': 'eu-west-1',
    'deployment.environment.name': 'prod', 'jobscope.agent.version': '0.1.0',
  });
  assert.deepEqual(p.stats(), { resources: 1, attributesSet: 5, observedTimesSet: 1 });
});

test('never overwrites what the sender set, under the canonical name or an alias', () => {
  const p = createEnrichProcessor({ machineId: 'agent-m', hostName: 'agent-h', environment: 'staging', agentVersion: '0.1.0' });
  const cases: Record<string, string>[] = [
    { machine_id: 'app-m', 'host.name': 'app-h', dataset: 'prod', 'jobscope.agent.version': '9' },
    { machineId: 'app-m', 'host.name': 'app-h', 'deployment.environment': 'prod', 'jobscope.agent.version': '9' },
    { 'emp.machine.id': 'app-m', 'host.name': 'app-h', 'emp.dataset': 'prod', 'jobscope.agent.version': '9' },
  ];
  for (const attrs of cases) {
    const before = { ...attrs };
    const t = logs(attrs, []);
    p.process(t);
    assert.deepEqual((t.request as ExportLogsServiceRequest).resourceLogs[0]!.resource.attributes, before);
  }
  // an empty value counts as absent
  const t = logs({ machine_id: '' }, []);
  p.process(t);
  assert.equal((t.request as ExportLogsServiceRequest).resourceLogs[0]!.resource.attributes.machine_id, 'agent-m');
});

test('observed time: set to now when 0 or empty, kept otherwise', () => {
  const p = createEnrichProcessor({ agentVersion: '1' });
  const before = BigInt(Date.now()) * 1_000_000n;
  const records = [rec({ observedTimeUnixNano: '0' }), rec({ observedTimeUnixNano: '' }), rec({ observedTimeUnixNano: '1764324000000000001' })];
  p.process(logs({}, records));
  for (const r of records.slice(0, 2)) assert.ok(BigInt(r.observedTimeUnixNano) >= before);
  assert.equal(records[2]!.observedTimeUnixNano, '1764324000000000001');
  assert.equal(p.stats().observedTimesSet, 2);
});

test('defaults: host name from the OS; unset optional fields are not added', () => {
  const p = createEnrichProcessor({ agentVersion: '1' });
  const t = logs({}, []);
  p.process(t);
  assert.deepEqual((t.request as ExportLogsServiceRequest).resourceLogs[0]!.resource.attributes, { 'host.name': hostname(), 'jobscope.agent.version': '1' });
  const none = createEnrichProcessor({ agentVersion: '1', hostName: '' });
  const t2 = logs({}, []);
  none.process(t2);
  assert.deepEqual((t2.request as ExportLogsServiceRequest).resourceLogs[0]!.resource.attributes, { 'jobscope.agent.version': '1' });
});

test('traces and metrics resources are enriched too', () => {
  const p = createEnrichProcessor({ machineId: 'm', hostName: 'h', agentVersion: '1' });
  const traces: Telemetry = { signal: 'traces', request: { resourceSpans: [{ resource: { attributes: {}, droppedAttributesCount: 0 }, scopeSpans: [], schemaUrl: '' }] } };
  const metrics: Telemetry = { signal: 'metrics', request: { resourceMetrics: [{ resource: { attributes: { machine_id: 'own' }, droppedAttributesCount: 0 }, scopeMetrics: [], schemaUrl: '' }] } };
  p.process(traces);
  p.process(metrics);
  assert.deepEqual((traces.request as ExportTraceServiceRequest).resourceSpans[0]!.resource.attributes, { machine_id: 'm', 'host.name': 'h', 'jobscope.agent.version': '1' });
  assert.deepEqual((metrics.request as ExportMetricsServiceRequest).resourceMetrics[0]!.resource.attributes, { machine_id: 'own', 'host.name': 'h', 'jobscope.agent.version': '1' });
});

test('bad config is a JS_CONFIG error', () => {
  const isConfig = (e: unknown): boolean => e instanceof JobscopeError && e.code === 'JS_CONFIG';
  assert.throws(() => createEnrichProcessor({ agentVersion: '' }), isConfig);
  assert.throws(() => createEnrichProcessor({} as never), isConfig);
  assert.throws(() => createEnrichProcessor({ agentVersion: '1', region: 5 } as never), isConfig);
});

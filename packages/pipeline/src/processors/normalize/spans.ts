/** OTLP traces → otel_traces rows (SpanKind/StatusCode spelled as the OTel collector's exporter does). */
import type { SpanRow } from '@jobscope/core';
import type { ExportTraceServiceRequest } from '@jobscope/otlp';
import { flattenAttributes, normalizeId } from './attributes.js';
import { jobColumns, type NormalizeContext } from './context.js';

const KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS = ['Unset', 'Ok', 'Error'];

export function normalizeSpans(req: ExportTraceServiceRequest, ctx: NormalizeContext): SpanRow[] {
  const rows: SpanRow[] = [];
  for (const rs of req.resourceSpans) {
    const resource = flattenAttributes(rs.resource.attributes);
    const serviceName = resource['service.name'] ?? '';
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const attrs = flattenAttributes(span.attributes);
        const { EventType: _e, ConnectorId: _c, ...job } = jobColumns(attrs, resource, ctx);
        const start = BigInt(span.startTimeUnixNano || '0');
        const end = BigInt(span.endTimeUnixNano || '0');
        rows.push({
          Timestamp: span.startTimeUnixNano !== '0' ? span.startTimeUnixNano : ctx.receivedAtNs,
          TraceId: normalizeId(span.traceId, 32),
          SpanId: normalizeId(span.spanId, 16),
          ParentSpanId: normalizeId(span.parentSpanId, 16),
          TraceState: span.traceState,
          SpanName: span.name,
          SpanKind: KINDS[span.kind] ?? 'Unspecified',
          ServiceName: serviceName,
          ResourceAttributes: resource,
          ScopeName: ss.scope.name,
          ScopeVersion: ss.scope.version,
          SpanAttributes: attrs,
          Duration: (end > start ? end - start : 0n).toString(),
          StatusCode: STATUS[span.status.code] ?? 'Unset',
          StatusMessage: span.status.message,
          'Events.Timestamp': span.events.map((e) => e.timeUnixNano),
          'Events.Name': span.events.map((e) => e.name),
          'Events.Attributes': span.events.map((e) => flattenAttributes(e.attributes)),
          'Links.TraceId': span.links.map((l) => normalizeId(l.traceId, 32)),
          'Links.SpanId': span.links.map((l) => normalizeId(l.spanId, 16)),
          'Links.TraceState': span.links.map((l) => l.traceState),
          'Links.Attributes': span.links.map((l) => flattenAttributes(l.attributes)),
          ...job,
        });
      }
    }
  }
  return rows;
}

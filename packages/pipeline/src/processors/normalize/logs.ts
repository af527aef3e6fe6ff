/**
 * OTLP logs → otel_logs rows. Canonical names, severity, body extraction
 * from structured bodies (a pino/winston JSON object sent as the body), and
 * the job columns.
 */
import {
  DEFAULT_DATASET, LEVEL_TO_SEVERITY, levelFromSeverityNumber, levelFromText,
  type AttrMap, type Level, type LogRow,
} from '@jobscope/core';
import type { AnyValue, ExportLogsServiceRequest, LogRecord } from '@jobscope/otlp';
import { anyValueToString, cut, flattenAttributes, MAX_BODY_CHARS, normalizeId, pick, recordAttributes, TRUNCATED_ATTR } from './attributes.js';
import type { NormalizeContext } from './context.js';

const MESSAGE_KEYS = ['message', 'msg'] as const;

export function normalizeLogs(req: ExportLogsServiceRequest, ctx: NormalizeContext): LogRow[] {
  const rows: LogRow[] = [];
  for (const rl of req.resourceLogs) {
    const resource = flattenAttributes(rl.resource.attributes);
    const serviceName = resource['service.name'] ?? '';
    for (const sl of rl.scopeLogs) {
      const scopeAttrs = flattenAttributes(sl.scope.attributes);
      for (const rec of sl.logRecords) {
        rows.push(normalizeRecord(rec, resource, serviceName, rl.schemaUrl, sl.schemaUrl, sl.scope.name, sl.scope.version, scopeAttrs, ctx));
      }
    }
  }
  return rows;
}

function normalizeRecord(
  rec: LogRecord, resource: AttrMap, serviceName: string, resourceSchemaUrl: string,
  scopeSchemaUrl: string, scopeName: string, scopeVersion: string, scopeAttrs: AttrMap, ctx: NormalizeContext,
): LogRow {
  let attrs: AttrMap;
  let body: string;
  if (rec.body !== null && typeof rec.body === 'object' && !Array.isArray(rec.body)) {
    attrs = {};
    body = bodyText(rec.body, attrs);
    flattenAttributes(rec.attributes, attrs);
  } else {
    attrs = recordAttributes(rec.attributes).map;
    body = anyValueToString(rec.body);
  }
  if (rec.eventName && !attrs.event_type) attrs.event_type = rec.eventName;
  const level = resolveLevel(rec, attrs);
  let text = body;
  if (text.length > MAX_BODY_CHARS) { text = cut(text, MAX_BODY_CHARS); attrs[TRUNCATED_ATTR] = 'true'; }
  const ts = rec.timeUnixNano !== '0' ? rec.timeUnixNano : rec.observedTimeUnixNano !== '0' ? rec.observedTimeUnixNano : ctx.receivedAtNs;
  return {
    Timestamp: ts,
    // The codec yields valid lowercase hex ids or '' (types.ts): only attribute fallbacks need checking.
    TraceId: rec.traceId || normalizeId(attrs.trace_id, 32),
    SpanId: rec.spanId || normalizeId(attrs.span_id, 16),
    TraceFlags: rec.flags & 0xff,
    SeverityText: level ?? '',
    SeverityNumber: rec.severityNumber > 0 && rec.severityNumber <= 24 ? rec.severityNumber : level ? LEVEL_TO_SEVERITY[level] : 0,
    ServiceName: serviceName,
    Body: text,
    ResourceSchemaUrl: resourceSchemaUrl,
    ResourceAttributes: resource,
    ScopeSchemaUrl: scopeSchemaUrl,
    ScopeName: scopeName,
    ScopeVersion: scopeVersion,
    ScopeAttributes: scopeAttrs,
    LogAttributes: attrs,
    // jobColumns() of context.ts, inlined: no intermediate object per record
    JobId: pick(attrs, resource, 'job_id'),
    MachineId: pick(attrs, resource, 'machine_id', 'host.name', 'host.id'),
    WorkerId: pick(attrs, resource, 'worker_id', 'service.instance.id'),
    ServiceType: pick(attrs, resource, 'service_type'),
    ConnectorId: pick(attrs, resource, 'connector_id'),
    EventType: attrs.event_type ?? '',
    Dataset: pick(attrs, resource, 'dataset') || ctx.defaultDataset || DEFAULT_DATASET,
  };
}

/** The message of a record; fields of a structured (map) body become attributes. */
function bodyText(body: AnyValue, attrs: AttrMap): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return anyValueToString(body);
  let message = '';
  const rest: Record<string, AnyValue> = {};
  for (const key in body) {
    const v = body[key] as AnyValue;
    if (!message && (MESSAGE_KEYS as readonly string[]).includes(key) && typeof v === 'string') message = v;
    else rest[key] = v;
  }
  flattenAttributes(rest, attrs);
  return message || JSON.stringify(body);
}

function resolveLevel(rec: LogRecord, attrs: AttrMap): Level | undefined {
  return levelFromSeverityNumber(rec.severityNumber)
    ?? levelFromText(rec.severityText)
    ?? (attrs.level ? levelFromText(attrs.level) : undefined)
    ?? (attrs.severity ? levelFromText(attrs.severity) : undefined)
    ?? 'info';
}

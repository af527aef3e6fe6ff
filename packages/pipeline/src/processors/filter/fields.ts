/**
 * Field lookup on a log record, for rules and sampling. Special names:
 * - `body`: the body as text (a map body: its message/msg, else its JSON);
 * - `level` / `severity`: the level word (trace … fatal) from the severity
 *   number, else the severity text, else a level/severity attribute;
 * - `severity_number`, `severity_text`, `event_name`;
 * - `trace_id` / `span_id`: the record's ids, else attributes;
 * - `event_type`: record attribute, else the record's event name, else
 *   resource attribute.
 * Any other name is a record attribute, else a resource attribute, under the
 * name or any alias of it (jobId for job_id …), so rules work whether or
 * not the canonical processor ran first. Empty values ('' / null) count as
 * absent.
 */
import { ATTRIBUTE_ALIASES, LEVEL_TO_SEVERITY, levelFromSeverityNumber, levelFromText, type Level } from '@jobscope/core';
import type { AnyValue, Attributes, LogRecord } from '@jobscope/otlp';

export type FieldValue = string | number | boolean | AnyValue[] | { [key: string]: AnyValue };
export type FieldGetter = (rec: LogRecord, resource: Attributes) => FieldValue | undefined;

const present = (v: AnyValue | undefined): v is FieldValue => v !== undefined && v !== null && v !== '';

/** The level of a record: severity number, else text, else a level/severity attribute. */
export function levelOf(rec: LogRecord): Level | undefined {
  return levelFromSeverityNumber(rec.severityNumber)
    ?? levelFromText(rec.severityText)
    ?? levelFromAttr(rec.attributes.level)
    ?? levelFromAttr(rec.attributes.severity);
}

/** Severity number of a record (0 when unknown), derived from its level when the number is unset. */
export function severityOf(rec: LogRecord): number {
  if (rec.severityNumber > 0) return rec.severityNumber;
  const level = levelOf(rec);
  return level ? LEVEL_TO_SEVERITY[level] : 0;
}

function levelFromAttr(v: AnyValue | undefined): Level | undefined {
  return typeof v === 'string' || typeof v === 'number' ? levelFromText(String(v)) : undefined;
}

/** The body as text. */
export function bodyText(body: AnyValue): string {
  if (typeof body === 'string') return body;
  if (body === null) return '';
  if (typeof body === 'object' && !Array.isArray(body)) {
    const m = body.message ?? body.msg;
    if (typeof m === 'string') return m;
  }
  return typeof body === 'object' ? JSON.stringify(body) : String(body);
}

/** The key, its canonical name and every alias of that name. */
function spellings(field: string): string[] {
  const canonical = ATTRIBUTE_ALIASES[field] ?? field;
  const out = new Set([field, canonical]);
  for (const alias of Object.keys(ATTRIBUTE_ALIASES)) if (ATTRIBUTE_ALIASES[alias] === canonical) out.add(alias);
  return [...out];
}

function attrGetter(keys: readonly string[]): (attrs: Attributes) => FieldValue | undefined {
  if (keys.length === 1) {
    const k = keys[0]!;
    return (attrs) => { const v = attrs[k]; return present(v) ? v : undefined; };
  }
  return (attrs) => {
    for (const k of keys) { const v = attrs[k]; if (present(v)) return v; }
    return undefined;
  };
}

/** An unrecognized level attribute, as it is. */
const rawLevel = attrGetter(['level', 'severity']);

/** A getter for one field name (resolved once, at config time). */
export function fieldGetter(field: string): FieldGetter {
  switch (field) {
    case 'body': return (rec) => { const s = bodyText(rec.body); return s === '' ? undefined : s; };
    case 'level': case 'severity': return (rec) => levelOf(rec) ?? rawLevel(rec.attributes);
    case 'severity_number': return (rec) => (rec.severityNumber > 0 ? rec.severityNumber : undefined);
    case 'severity_text': return (rec) => rec.severityText || undefined;
    case 'event_name': return (rec) => rec.eventName || undefined;
    default: break;
  }
  const attr = attrGetter(spellings(field));
  if (field === 'trace_id') return (rec, res) => rec.traceId || attr(rec.attributes) || attr(res);
  if (field === 'span_id') return (rec, res) => rec.spanId || attr(rec.attributes) || attr(res);
  if (field === 'event_type') return (rec, res) => attr(rec.attributes) ?? (rec.eventName || undefined) ?? attr(res);
  return (rec, res) => attr(rec.attributes) ?? attr(res);
}

/** A field value as text, for comparisons. */
export function valueText(v: FieldValue): string {
  switch (typeof v) {
    case 'string': return v;
    case 'number': return String(v);
    case 'boolean': return v ? 'true' : 'false';
    default: return JSON.stringify(v);
  }
}

/**
 * canonical: makes records speak the canonical vocabulary before they are
 * buffered, so filters and redaction downstream (and anyone reading the
 * buffer) see one spelling:
 * - alias keys renamed to canonical names (aliases.ts) on resources, log
 *   records, spans and span events, and metric data points;
 * - log records without a severity number get one (severity.ts);
 * - log records that name a service_type (record attribute, else resource
 *   attribute) are checked against its connector schema (schema.ts).
 * A record it cannot handle is passed on unchanged (and counted).
 */
import type { Attributes, LogRecord, RequestBySignal } from '@jobscope/otlp';
import type { Processor } from '../processor.js';
import type { Telemetry } from '../../telemetry.js';
import { renameAliases } from './aliases.js';
import { DEFAULT_CANONICAL_CONFIG, validateCanonicalConfig, type CanonicalConfig } from './config.js';
import { normalizeWithSchema } from './schema.js';
import { fillSeverity } from './severity.js';

export interface CanonicalStats {
  /** Attribute keys renamed from an alias. */
  renamed: number;
  /** Log records given a severity number. */
  severityFilled: number;
  /** Log records checked against a connector schema. */
  validated: number;
  /** Schema problems found (reported in `schema_errors`). */
  schemaErrors: number;
  /** Records passed on unchanged because processing them failed. */
  failed: number;
}

export interface CanonicalProcessor extends Processor {
  readonly name: 'canonical';
  stats(): CanonicalStats;
}

export function createCanonicalProcessor(config: Partial<CanonicalConfig> = {}): CanonicalProcessor {
  const c: CanonicalConfig = { ...DEFAULT_CANONICAL_CONFIG, ...definedOnly(config) };
  validateCanonicalConfig(c);
  const stats: CanonicalStats = { renamed: 0, severityFilled: 0, validated: 0, schemaErrors: 0, failed: 0 };

  const rename = (attrs: Attributes | undefined): void => {
    if (attrs) stats.renamed += renameAliases(attrs);
  };

  function logRecord(rec: LogRecord, resource: Attributes): void {
    try {
      rename(rec.attributes);
      if (fillSeverity(rec)) stats.severityFilled++;
      if (!c.validateSchemas) return;
      const st = serviceTypeOf(rec.attributes) ?? serviceTypeOf(resource);
      if (st === undefined) return;
      const r = normalizeWithSchema(st, rec.attributes);
      rec.attributes = r.attributes;
      stats.validated++;
      stats.schemaErrors += r.errors;
    } catch {
      stats.failed++;
    }
  }

  return {
    name: 'canonical',
    process(t: Telemetry): Telemetry {
      switch (t.signal) {
        case 'logs':
          for (const rl of (t.request as RequestBySignal['logs']).resourceLogs) {
            rename(rl.resource.attributes);
            for (const sl of rl.scopeLogs) for (const rec of sl.logRecords) logRecord(rec, rl.resource.attributes);
          }
          break;
        case 'traces':
          for (const rs of (t.request as RequestBySignal['traces']).resourceSpans) {
            rename(rs.resource.attributes);
            for (const ss of rs.scopeSpans) {
              for (const span of ss.spans) {
                rename(span.attributes);
                for (const ev of span.events) rename(ev.attributes);
              }
            }
          }
          break;
        case 'metrics':
          for (const rm of (t.request as RequestBySignal['metrics']).resourceMetrics) {
            rename(rm.resource.attributes);
            for (const sm of rm.scopeMetrics) {
              for (const m of sm.metrics) {
                if ('dataPoints' in m.data) for (const p of m.data.dataPoints) rename(p.attributes);
              }
            }
          }
          break;
      }
      return t;
    },
    stats: () => ({ ...stats }),
  };
}

/** The object without its undefined entries (an explicit undefined must not hide a default). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A usable service_type value (a non-empty string), else undefined. */
function serviceTypeOf(attrs: Attributes): string | undefined {
  const v = attrs.service_type;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

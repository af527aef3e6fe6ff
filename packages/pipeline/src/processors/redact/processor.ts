/**
 * redact: removes secrets before anything is written to the disk buffer or
 * sent on — the agent is the last place a leaked token can be stopped
 * cheaply. Covers log bodies and attributes, resource attributes, span
 * attributes, span events and links, span status messages, metric data
 * point attributes and exemplars. Pattern matches and secret-named keys are
 * replaced (scrub.ts); every redaction is counted by pattern name ('keys'
 * for secret-named keys).
 */
import type { Attributes, Exemplar, LogRecord, RequestBySignal, Span } from '@jobscope/otlp';
import { JobscopeError } from '@jobscope/core';
import type { Processor } from '../processor.js';
import type { Telemetry } from '../../telemetry.js';
import { DEFAULT_REDACT_CONFIG, DEFAULT_REDACT_KEYS, validateRedactConfig, type RedactConfig } from './config.js';
import { compileUserPattern, defaultPatterns, type CompiledPattern } from './patterns.js';
import { Scrubber } from './scrub.js';

export interface RedactStats {
  /** Redactions in total. */
  redactions: number;
  /** Redactions by pattern name ('keys': values of secret-named keys). */
  byPattern: Record<string, number>;
  /** Items (records, spans, points, resources) whose scrubbing failed part way (passed on as far as scrubbed). */
  failed: number;
}

export interface RedactProcessor extends Processor {
  readonly name: 'redact';
  stats(): RedactStats;
}

export function createRedactProcessor(config: Partial<RedactConfig> = {}): RedactProcessor {
  if (config === null || typeof config !== 'object') throw new JobscopeError('JS_CONFIG', 'redact: config must be an object');
  const c: RedactConfig = { ...DEFAULT_REDACT_CONFIG, ...(Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as Partial<RedactConfig>) };
  validateRedactConfig(c);
  const user = c.patterns.map((p) => compileUserPattern(p, c.replacement));
  const userNames = new Set(user.map((p) => p.name));
  const patterns: CompiledPattern[] = [
    ...(c.useDefaults ? defaultPatterns(c.replacement).filter((p) => !userNames.has(p.name)) : []),
    ...user,
  ];
  const keys = c.useDefaults ? [...DEFAULT_REDACT_KEYS, ...c.keys] : c.keys;
  const stats: RedactStats = { redactions: 0, byPattern: {}, failed: 0 };
  const count = (name: string): void => {
    stats.redactions++;
    stats.byPattern[name] = (stats.byPattern[name] ?? 0) + 1;
  };
  const s = new Scrubber(patterns, keys, c.replacement, count);

  // One try per item: a value that cannot be scrubbed fails alone (the rest of the batch is still scrubbed).
  function logRecord(rec: LogRecord): void {
    try {
      rec.body = s.value(rec.body);
      s.attributes(rec.attributes);
    } catch {
      stats.failed++;
    }
  }
  function span(sp: Span): void {
    try {
      s.attributes(sp.attributes);
      for (const ev of sp.events) s.attributes(ev.attributes);
      for (const link of sp.links) s.attributes(link.attributes);
      if (sp.status.message) sp.status.message = s.string(sp.status.message);
    } catch {
      stats.failed++;
    }
  }
  function point(p: { attributes: Attributes; exemplars?: Exemplar[] }): void {
    try {
      s.attributes(p.attributes);
      if (p.exemplars) for (const ex of p.exemplars) s.attributes(ex.filteredAttributes);
    } catch {
      stats.failed++;
    }
  }
  function resource(attrs: Attributes): void {
    try {
      s.attributes(attrs);
    } catch {
      stats.failed++;
    }
  }

  return {
    name: 'redact',
    process(t: Telemetry): Telemetry {
      switch (t.signal) {
        case 'logs':
          for (const rl of (t.request as RequestBySignal['logs']).resourceLogs) {
            resource(rl.resource.attributes);
            for (const sl of rl.scopeLogs) for (const rec of sl.logRecords) logRecord(rec);
          }
          break;
        case 'traces':
          for (const rs of (t.request as RequestBySignal['traces']).resourceSpans) {
            resource(rs.resource.attributes);
            for (const ss of rs.scopeSpans) for (const sp of ss.spans) span(sp);
          }
          break;
        case 'metrics':
          for (const rm of (t.request as RequestBySignal['metrics']).resourceMetrics) {
            resource(rm.resource.attributes);
            for (const sm of rm.scopeMetrics) {
              for (const m of sm.metrics) if ('dataPoints' in m.data) for (const p of m.data.dataPoints) point(p);
            }
          }
          break;
      }
      return t;
    },
    stats: () => ({ redactions: stats.redactions, byPattern: { ...stats.byPattern }, failed: stats.failed }),
  };
}

/**
 * filter: drops log records the operator does not want to ship, before they
 * cost disk, bandwidth and storage. Per record, in order:
 * 1. minSeverity: a record below it is dropped (a record whose level is
 *    unknown — severity 0, no level text — is kept);
 * 2. rules, in order, the first that matches decides: drop, or keep (kept,
 *    later rules and sampling skipped);
 * 3. sampling (sample.ts), which never drops records at or above
 *    keepSeverityAtLeast.
 * Scopes and resources left empty are removed; when nothing is left,
 * process() returns null.
 *
 * Logs only: spans and metrics pass through unchanged (dropping a span
 * breaks its trace; dropping points skews aggregates — sample those at the
 * source).
 */
import { LEVEL_TO_SEVERITY } from '@jobscope/core';
import type { Attributes, LogRecord, RequestBySignal } from '@jobscope/otlp';
import type { Processor } from '../processor.js';
import type { Telemetry } from '../../telemetry.js';
import { compileCondition, type Predicate } from './condition.js';
import { resolveFilterConfig, type FilterConfigInput } from './config.js';
import { severityOf } from './fields.js';
import { compileSampler } from './sample.js';

export interface FilterStats {
  /** Log records seen. */
  records: number;
  /** Log records passed on. */
  kept: number;
  /** Log records dropped, by reason. */
  dropped: { severity: number; rule: number; sample: number };
}

export interface FilterProcessor extends Processor {
  readonly name: 'filter';
  stats(): FilterStats;
}

export interface FilterOptions {
  /** Source of chance for records sampled without a key (tests). */
  random?: () => number;
}

type Verdict = 'keep' | 'severity' | 'rule' | 'sample';

export function createFilterProcessor(config: FilterConfigInput = {}, options: FilterOptions = {}): FilterProcessor {
  const c = resolveFilterConfig(config);
  const minSeverity = c.minSeverity === undefined ? 0 : LEVEL_TO_SEVERITY[c.minSeverity];
  const rules: { keep: boolean; test: Predicate }[] = c.rules.map((r) => ({ keep: r.action === 'keep', test: compileCondition(r) }));
  const sampler = c.sample ? compileSampler(c.sample, options.random) : undefined;
  const stats: FilterStats = { records: 0, kept: 0, dropped: { severity: 0, rule: 0, sample: 0 } };

  function verdict(rec: LogRecord, resource: Attributes): Verdict {
    if (minSeverity > 0) {
      const sev = severityOf(rec);
      if (sev > 0 && sev < minSeverity) return 'severity';
    }
    for (const r of rules) {
      if (r.test(rec, resource)) return r.keep ? 'keep' : 'rule';
    }
    if (sampler !== undefined && !sampler(rec, resource)) return 'sample';
    return 'keep';
  }

  function decide(rec: LogRecord, resource: Attributes): boolean {
    stats.records++;
    let v: Verdict;
    try {
      v = verdict(rec, resource);
    } catch {
      v = 'keep'; // a record the filter cannot judge is passed on
    }
    if (v === 'keep') {
      stats.kept++;
      return true;
    }
    stats.dropped[v]++;
    return false;
  }

  return {
    name: 'filter',
    process(t: Telemetry): Telemetry | null {
      if (t.signal !== 'logs') return t;
      const req = t.request as RequestBySignal['logs'];
      req.resourceLogs = req.resourceLogs.filter((rl) => {
        const resource = rl.resource.attributes;
        rl.scopeLogs = rl.scopeLogs.filter((sl) => {
          sl.logRecords = sl.logRecords.filter((rec) => decide(rec, resource));
          return sl.logRecords.length > 0;
        });
        return rl.scopeLogs.length > 0;
      });
      return req.resourceLogs.length > 0 ? t : null;
    },
    stats: () => ({ records: stats.records, kept: stats.kept, dropped: { ...stats.dropped } }),
  };
}

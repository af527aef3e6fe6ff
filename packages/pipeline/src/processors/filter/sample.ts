/**
 * Deterministic sampling: the decision is a hash of a field's value (the
 * job id by default), so every record of one job — on every agent, in
 * every batch — is kept or dropped together and sampled jobs stay whole.
 * Records without the field fall back to their trace id, then to chance.
 */
import { LEVEL_TO_SEVERITY } from '@jobscope/core';
import type { Attributes, LogRecord } from '@jobscope/otlp';
import type { SampleConfig } from './config.js';
import { compileCondition, type Predicate } from './condition.js';
import { fieldGetter, severityOf, valueText } from './fields.js';

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** True when a value hashes into the kept share. */
export function keepByHash(value: string, rate: number): boolean {
  return fnv1a(value) < rate * 0x1_0000_0000;
}

/** A function telling whether a record survives sampling. */
export function compileSampler(s: SampleConfig, random: () => number = Math.random): (rec: LogRecord, resource: Attributes) => boolean {
  const by = fieldGetter(s.by);
  const trace = fieldGetter('trace_id');
  const protectedFrom = LEVEL_TO_SEVERITY[s.keepSeverityAtLeast];
  const when: Predicate | undefined = s.when ? compileCondition(s.when) : undefined;
  return (rec, resource) => {
    if (s.rate >= 1) return true;
    if (severityOf(rec) >= protectedFrom) return true;
    if (when !== undefined && !when(rec, resource)) return true;
    const key = by(rec, resource) ?? trace(rec, resource);
    return key === undefined ? random() < s.rate : keepByHash(valueText(key), s.rate);
  };
}

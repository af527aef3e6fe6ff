/**
 * enrich: stamps what only the agent knows onto the telemetry passing
 * through it, so every record can be traced to a machine even when the app
 * did not say which: machine_id, host.name, cloud.region,
 * deployment.environment.name (the server's `dataset`) and
 * jobscope.agent.version on each resource of every signal, and the receive
 * time as observedTimeUnixNano of log records that have none.
 *
 * Only ever fills gaps: an attribute the sender set — under its canonical
 * name or any alias of it (machineId, emp.dataset, …) — is left alone, so
 * the app's own value keeps winning on the server.
 */
import { ATTRIBUTE_ALIASES } from '@jobscope/core';
import type { Attributes, RequestBySignal } from '@jobscope/otlp';
import type { Processor } from '../processor.js';
import type { Telemetry } from '../../telemetry.js';
import { nowNanos } from '../../receivers/shared/structured-log.js';
import { resolveEnrichConfig, type EnrichConfigInput } from './config.js';

export interface EnrichStats {
  /** Resources seen. */
  resources: number;
  /** Attributes added to resources. */
  attributesSet: number;
  /** Log records given the receive time as their observed time. */
  observedTimesSet: number;
}

export interface EnrichProcessor extends Processor {
  readonly name: 'enrich';
  stats(): EnrichStats;
}

interface Addition {
  key: string;
  value: string;
  /** Keys whose presence means the value is already there (the key, its canonical name, their aliases). */
  equivalents: readonly string[];
}

/** The key, its canonical name and every alias of that canonical name. */
export function equivalentKeys(key: string): string[] {
  const canonical = ATTRIBUTE_ALIASES[key] ?? key;
  const out = new Set([key, canonical]);
  for (const alias of Object.keys(ATTRIBUTE_ALIASES)) if (ATTRIBUTE_ALIASES[alias] === canonical) out.add(alias);
  return [...out];
}

export function createEnrichProcessor(config: EnrichConfigInput): EnrichProcessor {
  const c = resolveEnrichConfig(config);
  const additions: Addition[] = [];
  const add = (key: string, value: string | undefined): void => {
    if (value) additions.push({ key, value, equivalents: equivalentKeys(key) });
  };
  add('machine_id', c.machineId);
  add('host.name', c.hostName);
  add('cloud.region', c.region);
  add('deployment.environment.name', c.environment);
  add('jobscope.agent.version', c.agentVersion);
  const stats: EnrichStats = { resources: 0, attributesSet: 0, observedTimesSet: 0 };

  function enrichResource(attrs: Attributes): void {
    stats.resources++;
    for (const a of additions) {
      if (!a.equivalents.some((k) => isSet(attrs[k]))) {
        attrs[a.key] = a.value;
        stats.attributesSet++;
      }
    }
  }

  return {
    name: 'enrich',
    process(t: Telemetry): Telemetry {
      switch (t.signal) {
        case 'logs': {
          const now = nowNanos();
          for (const rl of (t.request as RequestBySignal['logs']).resourceLogs) {
            enrichResource(rl.resource.attributes);
            for (const sl of rl.scopeLogs) {
              for (const rec of sl.logRecords) {
                if (rec.observedTimeUnixNano === '0' || rec.observedTimeUnixNano === '' || rec.observedTimeUnixNano === undefined) {
                  rec.observedTimeUnixNano = now;
                  stats.observedTimesSet++;
                }
              }
            }
          }
          break;
        }
        case 'traces':
          for (const rs of (t.request as RequestBySignal['traces']).resourceSpans) enrichResource(rs.resource.attributes);
          break;
        case 'metrics':
          for (const rm of (t.request as RequestBySignal['metrics']).resourceMetrics) enrichResource(rm.resource.attributes);
          break;
      }
      return t;
    },
    stats: () => ({ ...stats }),
  };
}

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

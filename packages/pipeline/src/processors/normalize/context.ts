/**
 * The job dimensions of a record, resolved once per resource and once per
 * record: record attributes win, then resource attributes, then well-known
 * OpenTelemetry resource keys (host.name, service.instance.id, …).
 */
import { DEFAULT_DATASET, type AttrMap, type JobColumns } from '@jobscope/core';
import { pick } from './attributes.js';

export interface NormalizeContext {
  /** Dataset when neither the record nor the resource names one. */
  defaultDataset?: string;
  /** Receive time in unix ns (decimal string), used when a record has no time. */
  receivedAtNs: string;
}

export function jobColumns(attrs: AttrMap, resource: AttrMap, ctx: NormalizeContext): JobColumns {
  return {  // (logs.ts inlines the same picks into its row literal, to skip an object per record)
    JobId: pick(attrs, resource, 'job_id'),
    MachineId: pick(attrs, resource, 'machine_id', 'host.name', 'host.id'),
    WorkerId: pick(attrs, resource, 'worker_id', 'service.instance.id'),
    ServiceType: pick(attrs, resource, 'service_type'),
    ConnectorId: pick(attrs, resource, 'connector_id'),
    EventType: attrs.event_type ?? '',
    Dataset: pick(attrs, resource, 'dataset') || ctx.defaultDataset || DEFAULT_DATASET,
  };
}

export function nowNs(): string {
  return (BigInt(Date.now()) * 1_000_000n).toString();
}

/** Shapes of the server's JSON answers (docs/api.md, docs/traces.md, packages/ui/CONTRACT.md). */

import type { LogView, SpanEvent, SpanLink, SpanView } from '@jobscope/server/api-types';

/** One log record as /api/logs, /api/tail and the job timeline give it. */
export type LogRow = LogView;

export interface LogsAnswer { rows: LogRow[]; nextCursor: string | null }

export interface JobState {
  job_id: string;
  dataset: string;
  status: string;
  service_type: string;
  model: string;
  machine_id: string;
  worker_id: string;
  connector_id: string;
  error_type: string;
  error: string;
  trace_id: string;
  progress: number;
  submitted_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  first_event_at: string | null;
  last_event_at: string | null;
  attempts: number;
  retries: number;
  events: number;
  queue_wait_ms: number | null;
  duration_ms: number | null;
}

/** One entry of a job's timeline: a log row (event or log) or a span. */
export interface TimelineItem extends Partial<LogRow> {
  kind: 'event' | 'log' | 'span';
  timestamp: string;
  timestamp_ns: string;
  // span entries
  traceId?: string;
  spanId?: string;
  name?: string;
  service?: string;
  spanKind?: string;
  durationMs?: number;
  status?: string;
  statusMessage?: string;
}

export interface JobAnswer { job: JobState | null; traceIds: string[]; timeline: TimelineItem[] }

export type { SpanEvent, SpanLink };
export type Span = SpanView;

export interface SpanNode extends Span { depth: number; children: SpanNode[] }

export interface TraceAnswer {
  traceId: string;
  startTime: string;
  endTime: string;
  durationMs: number;
  spanCount: number;
  services: string[];
  errorCount: number;
  orphans: number;
  truncated: boolean;
  roots: SpanNode[];
}

export interface StatsAnswer {
  intervalSeconds: number;
  from?: string;
  to?: string;
  keys: string[];
  buckets: { time: string; key: string; count: number }[];
}

export interface KeyStat { key: string; count: number; p50: number | null; p95: number | null }

export interface OverviewAnswer {
  from: string;
  to: string;
  bucketSeconds: number;
  series: { time: string; submitted: number; completed: number; failed: number }[];
  totals: { submitted: number; completed: number; failed: number; failureRate: number | null; inFlight: number; queued: number };
  durations: { byServiceType: KeyStat[]; byModel: KeyStat[] };
  queueWait: { p50: number | null; p95: number | null };
  fleet: { machinesOnline: number; machinesSeen: number; workersOnline: number; workersSeen: number };
  topErrors: { error_type: string; count: number; example: string }[];
}

export interface WorkerInfo {
  worker_id: string;
  status: string;
  last_heartbeat: string | null;
  last_seen?: string | null;
  current_job_id: string | null;
  service_types: string[] | string;
}

export interface MachineInfo {
  machine_id: string;
  status: 'online' | 'silent' | string;
  last_seen: string | null;
  jobs: number;
  failed: number;
  failure_rate: number | null;
  workers: WorkerInfo[];
}

export interface MachinesAnswer { machines: MachineInfo[] }

export interface FieldsAnswer { fields: { name: string; kind: 'canonical' | 'attribute' }[] }
export interface ValuesAnswer { values: { value: string; count: number }[] }
export interface FacetsAnswer { facets: Record<string, { value: string; count: number }[]> }

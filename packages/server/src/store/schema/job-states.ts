/**
 * The per-job state table, fed from lifecycle events by a materialized view.
 *
 * An AggregatingMergeTree keyed by (Dataset, JobId): every insert into
 * otel_logs adds partial aggregate states for the jobs it mentions, merges
 * fold them, and readers finish them with -Merge functions (JOB_STATE_SELECT).
 * Order-dependent fields use argMax by event time, so late or out-of-order
 * events still produce the right state.
 */
import { LIFECYCLE_EVENTS, STATUS_AFTER_EVENT, STATUS_OVERRIDES } from '@jobscope/core';

const events = LIFECYCLE_EVENTS.map((e) => `'${e}'`).join(', ');
const statuses = LIFECYCLE_EVENTS.map((e) => `'${STATUS_AFTER_EVENT[e]}'`).join(', ');
/** Tie-break at one timestamp: later steps of the lifecycle win (also used by api/job-state.ts). */
export const JOB_STATE_RANK: Readonly<Record<string, number>> = {
  job_submitted: 1, job_received: 3, job_started: 4, job_progress: 5,
  job_failed: 6, job_timeout: 6, job_retried: 7, job_completed: 9, job_cancelled: 9,
};
const ranks = LIFECYCLE_EVENTS.map((e) => JOB_STATE_RANK[e] ?? 0).join(', ');
const TERMINAL = `('job_completed', 'job_failed', 'job_cancelled', 'job_timeout')`;

const argMaxIf = (t: string) => `AggregateFunction(argMaxIf, ${t}, DateTime64(9), UInt8)`;

export const JOB_STATES_TABLE = `
CREATE TABLE IF NOT EXISTS job_states (
    Dataset LowCardinality(String),
    JobId String,
    Status AggregateFunction(argMax, String, Tuple(DateTime64(9), UInt8)),
    ServiceType ${argMaxIf('String')},
    Model ${argMaxIf('String')},
    MachineId ${argMaxIf('String')},
    WorkerId ${argMaxIf('String')},
    ConnectorId ${argMaxIf('String')},
    ErrorType ${argMaxIf('String')},
    ErrorMessage ${argMaxIf('String')},
    TraceId ${argMaxIf('String')},
    DurationMs ${argMaxIf('Float64')},
    Progress ${argMaxIf('Float64')},
    SubmittedAt SimpleAggregateFunction(min, Nullable(DateTime64(9))),
    FirstClaimedAt SimpleAggregateFunction(min, Nullable(DateTime64(9))),
    LastStartedAt SimpleAggregateFunction(max, Nullable(DateTime64(9))),
    FinishedAt SimpleAggregateFunction(max, Nullable(DateTime64(9))),
    FirstEventAt SimpleAggregateFunction(min, DateTime64(9)),
    LastEventAt SimpleAggregateFunction(max, DateTime64(9)),
    Starts SimpleAggregateFunction(sum, UInt64),
    Retries SimpleAggregateFunction(sum, UInt64),
    MaxAttempt SimpleAggregateFunction(max, UInt32),
    Events SimpleAggregateFunction(sum, UInt64)
) ENGINE = AggregatingMergeTree
ORDER BY (Dataset, JobId)
SETTINGS index_granularity = 256, non_replicated_deduplication_window = 10000`;

const STATUS_BY_EVENT = `transform(EventType, [${events}], [${statuses}], '')`;
/** Schema v3: an event's `status` attribute may set the status (core STATUS_OVERRIDES: pending, unworkable). */
const STATUS_WITH_OVERRIDES = `multiIf(${Object.entries(STATUS_OVERRIDES)
  .map(([e, allowed]) => `EventType = '${e}' AND LogAttributes['status'] IN (${(allowed ?? []).map((s) => `'${s}'`).join(', ')}), LogAttributes['status']`)
  .join(', ')}, ${STATUS_BY_EVENT})`;

/** SELECT list turning otel_logs rows into partial job states (MV and backfill); v2 had no status overrides. */
const stateFromEvents = (status: string): string => `
SELECT
    Dataset,
    JobId,
    argMaxState(${status}, (Timestamp, toUInt8(transform(EventType, [${events}], [${ranks}], 0)))) AS Status,
    argMaxIfState(ServiceType, Timestamp, ServiceType != '') AS ServiceType,
    argMaxIfState(LogAttributes['model'], Timestamp, LogAttributes['model'] != '') AS Model,
    argMaxIfState(MachineId, Timestamp, MachineId != '') AS MachineId,
    argMaxIfState(WorkerId, Timestamp, WorkerId != '') AS WorkerId,
    argMaxIfState(ConnectorId, Timestamp, ConnectorId != '') AS ConnectorId,
    argMaxIfState(LogAttributes['error_type'], Timestamp, LogAttributes['error_type'] != '') AS ErrorType,
    argMaxIfState(if(LogAttributes['error'] != '', LogAttributes['error'], Body), Timestamp, EventType = 'job_failed' OR EventType = 'job_timeout') AS ErrorMessage,
    argMaxIfState(TraceId, Timestamp, TraceId != '') AS TraceId,
    argMaxIfState(toFloat64OrZero(LogAttributes['duration_ms']), Timestamp, EventType IN ${TERMINAL} AND LogAttributes['duration_ms'] != '') AS DurationMs,
    argMaxIfState(toFloat64OrZero(LogAttributes['progress']), Timestamp, EventType = 'job_progress' OR EventType = 'job_completed') AS Progress,
    min(if(EventType = 'job_submitted', Timestamp, NULL)) AS SubmittedAt,
    min(if(EventType IN ('job_received', 'job_started'), Timestamp, NULL)) AS FirstClaimedAt,
    max(if(EventType = 'job_started', Timestamp, NULL)) AS LastStartedAt,
    max(if(EventType IN ${TERMINAL}, Timestamp, NULL)) AS FinishedAt,
    min(Timestamp) AS FirstEventAt,
    max(Timestamp) AS LastEventAt,
    countIf(EventType = 'job_started') AS Starts,
    countIf(EventType = 'job_retried') AS Retries,
    max(toUInt32OrZero(LogAttributes['attempt'])) AS MaxAttempt,
    count() AS Events
FROM otel_logs
WHERE EventType IN (${events}) AND JobId != ''
GROUP BY Dataset, JobId`;

export const JOB_STATES_MV = `
CREATE MATERIALIZED VIEW IF NOT EXISTS job_states_mv TO job_states AS ${stateFromEvents(STATUS_BY_EVENT)}`;

/** Fills job_states from events already stored (used when the table is created on old data). */
export const JOB_STATES_BACKFILL = `INSERT INTO job_states ${stateFromEvents(STATUS_BY_EVENT)}`;

/**
 * Schema v3: the view again, with status overrides. Migrations run before
 * ingest starts, so no insert falls between the drop and the create.
 * States already stored keep the status they had (only events after the
 * upgrade can say pending/unworkable).
 */
export const JOB_STATES_MV_V3 = [
  'DROP VIEW IF EXISTS job_states_mv',
  `CREATE MATERIALIZED VIEW IF NOT EXISTS job_states_mv TO job_states AS ${stateFromEvents(STATUS_WITH_OVERRIDES)}`,
] as const;

/**
 * Finished job state columns, in the API's names. Used over `job_states`
 * grouped by (Dataset, JobId).
 */
export const JOB_STATE_COLUMNS: Readonly<Record<string, string>> = {
  dataset: 'Dataset',
  job_id: 'JobId',
  status: 'argMaxMerge(Status)',
  service_type: 'argMaxIfMerge(ServiceType)',
  model: 'argMaxIfMerge(Model)',
  machine_id: 'argMaxIfMerge(MachineId)',
  worker_id: 'argMaxIfMerge(WorkerId)',
  connector_id: 'argMaxIfMerge(ConnectorId)',
  error_type: 'argMaxIfMerge(ErrorType)',
  error: 'argMaxIfMerge(ErrorMessage)',
  trace_id: 'argMaxIfMerge(TraceId)',
  progress: 'argMaxIfMerge(Progress)',
  submitted_at: 'min(SubmittedAt)',
  started_at: 'max(LastStartedAt)',
  finished_at: 'max(FinishedAt)',
  first_event_at: 'min(FirstEventAt)',
  last_event_at: 'max(LastEventAt)',
  attempts: 'greatest(max(MaxAttempt), sum(Starts))',
  retries: 'sum(Retries)',
  events: 'sum(Events)',
  queue_wait_ms: 'if(isNull(min(SubmittedAt)) OR isNull(min(FirstClaimedAt)), NULL, greatest(0, dateDiff(\'millisecond\', min(SubmittedAt), min(FirstClaimedAt))))',
  duration_ms: 'if(argMaxIfMerge(DurationMs) > 0, argMaxIfMerge(DurationMs), if(isNull(max(FinishedAt)) OR isNull(max(LastStartedAt)), NULL, toFloat64(dateDiff(\'millisecond\', max(LastStartedAt), max(FinishedAt)))))',
};

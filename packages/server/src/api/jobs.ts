/**
 * GET /api/jobs?q=&status=&service_type=&model=&machine_id=&worker_id=&from=&to=&limit=&dataset=
 *   → {rows: JobState[]}, most recently active first.
 * GET /api/jobs/:jobId → {job, traceIds, timeline}: the job's state and every
 *   event, log line and span of the job in time order — "what happened to job
 *   X". Spans: those carrying the job's id, and every span of the job's traces
 *   (the trace ids of its events, logs, state and job spans; at most 100).
 */
import type { FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import { JOB_STATE_COLUMNS, type Store } from '../store/index.js';
import { compileWhere, jobStatesTable, join, param, render, sql, type Sql } from '../query/index.js';
import { nsToIso, parseLimit, qs, timeRange } from './params.js';
import { selectList } from './select-list.js';
import { deriveJobState } from './job-state.js';
import { LOG_VIEW_COLUMNS, toLogView, type LogView, type LogViewRow } from './log-view.js';
import { SPAN_VIEW_COLUMNS, toSpanView, type SpanView, type SpanViewRow } from './span-view.js';

export const JOBS_TABLE = jobStatesTable(JOB_STATE_COLUMNS);
/** Most records of one job on its page (events and logs; spans). */
const TIMELINE_LIMIT = 10_000;
/** Most traces of one job whose spans join its timeline. */
const MAX_TRACES = 100;
const FILTERS = ['status', 'service_type', 'model', 'machine_id', 'worker_id', 'error_type'] as const;
const TIME_FIELDS = new Set(['submitted_at', 'started_at', 'finished_at', 'first_event_at', 'last_event_at']);

/** SELECT list of a job state; times as ns strings, converted to ISO in JS. */
export const JOB_SELECT = selectList(Object.entries(JOB_STATE_COLUMNS)
  .map(([k, v]) => [TIME_FIELDS.has(k) ? `toString(toUnixTimestamp64Nano(${v}))` : v, k] as const));

export type JobState = Record<string, string | number | null>;

export function toJobState(r: JobState): JobState {
  const out: JobState = { ...r };
  for (const k of TIME_FIELDS) {
    const v = r[k];
    out[k] = v === null || v === undefined || v === '' ? null : nsToIso(String(v));
  }
  return out;
}

function fieldExpr(name: string): Sql {
  const f = JOBS_TABLE.fields[name];
  if (!f || f.kind !== 'column') throw new JobscopeError('JS_INTERNAL', `no job field ${name}`);
  return f.expr;
}

export interface TimelineItem extends Partial<LogView> {
  kind: 'event' | 'log' | 'span';
  timestamp: string;
  timestamp_ns: string;
  [k: string]: unknown;
}

/**
 * A span on the job's timeline: camelCase fields (spanId, parentSpanId, name,
 * service, durationMs, status) and, as before, their snake_case forms.
 */
export function spanTimelineItem(v: SpanView): TimelineItem {
  return {
    kind: 'span', timestamp: v.startTime, timestamp_ns: v.startTimeNs,
    traceId: v.traceId, spanId: v.spanId, parentSpanId: v.parentSpanId, name: v.name, service: v.serviceName,
    spanKind: v.kind, durationMs: v.durationMs, status: v.statusCode, statusMessage: v.statusMessage,
    trace_id: v.traceId, span_id: v.spanId, parent_span_id: v.parentSpanId, span_kind: v.kind, service_name: v.serviceName,
    duration_ms: v.durationMs, status_message: v.statusMessage, job_id: v.job_id, machine_id: v.machine_id, worker_id: v.worker_id,
    attributes: v.attributes, events: v.events,
  };
}

export function jobsRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/jobs', async (req) => {
      const p = qs(req.query);
      const range = timeRange(p, 24 * 3_600_000);
      const limit = parseLimit(p.limit, 100, 10_000);
      const having: Sql[] = [sql`(${compileWhere(p.q ?? '', JOBS_TABLE)})`];
      for (const f of FILTERS) {
        const v = p[f];
        if (!v) continue;
        const values = v.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 50);
        const list = values.map((x) => sql`${param.string(x)}`).reduce((a, b) => sql`${a}, ${b}`);
        having.push(sql`${fieldExpr(f)} IN (${list})`);
      }
      const inRange = sql`SELECT JobId FROM job_states WHERE LastEventAt >= fromUnixTimestamp64Nano(${param.int64(range.fromNs)})
        AND FirstEventAt < fromUnixTimestamp64Nano(${param.int64(range.toNs)})${p.dataset ? sql` AND Dataset = ${param.string(p.dataset)}` : sql``}`;
      const stmt = render(sql`SELECT ${JOB_SELECT} FROM job_states
        WHERE JobId IN (${inRange})${p.dataset ? sql` AND Dataset = ${param.string(p.dataset)}` : sql``}
        GROUP BY Dataset, JobId
        HAVING ${having.reduce((a, b) => sql`${a} AND ${b}`)}
        ORDER BY max(LastEventAt) DESC LIMIT ${param.int64(limit)}`);
      const rows = await store.query<JobState>(stmt.sql, stmt.params);
      return { rows: rows.map(toJobState) };
    });

    app.get<{ Params: { jobId: string } }>('/api/jobs/:jobId', async (req, reply) => {
      const jobId = req.params.jobId;
      if (!jobId || jobId.length > 512) throw new JobscopeError('JS_BAD_REQUEST', 'job id must be 1-512 characters');
      const p = qs(req.query);
      const ds = p.dataset ? sql` AND Dataset = ${param.string(p.dataset)}` : sql``;
      const j = render(sql`SELECT ${JOB_SELECT} FROM job_states WHERE JobId = ${param.string(jobId)}${ds}
        GROUP BY Dataset, JobId ORDER BY max(LastEventAt) DESC LIMIT 1`);
      const logsQ = render(sql`SELECT ${LOG_VIEW_COLUMNS} FROM otel_logs WHERE JobId = ${param.string(jobId)}${ds}
        ORDER BY Timestamp LIMIT ${param.int64(TIMELINE_LIMIT)}`);
      const spanQuery = (where: Sql, limit: number) => render(sql`SELECT ${SPAN_VIEW_COLUMNS}
        FROM otel_traces WHERE ${where}${ds} ORDER BY Timestamp LIMIT ${param.int64(limit)}`);
      // The job's events and logs, and the spans that carry its id, read at once (the store has several reader sessions).
      const byJob = spanQuery(sql`JobId = ${param.string(jobId)}`, TIMELINE_LIMIT);
      const [logs, jobSpans] = await Promise.all([
        store.query<LogViewRow>(logsQ.sql, logsQ.params),
        store.query<SpanViewRow>(byJob.sql, byJob.params),
      ]);
      // The state from the events just read (same rules as job_states); the table only when they were cut off.
      let job = logs.length < TIMELINE_LIMIT ? deriveJobState(logs) : null;
      if (!job && logs.length >= TIMELINE_LIMIT) {
        const jobs = await store.query<JobState>(j.sql, j.params);
        job = jobs[0] ? toJobState(jobs[0]) : null;
      }
      // The job's traces: those of its events and logs, of its state, and of the spans carrying its id.
      const traceIds = [...new Set([
        ...logs.map((l) => l.TraceId), typeof job?.trace_id === 'string' ? job.trace_id : '', ...jobSpans.map((x) => x.TraceId),
      ].filter((t) => t !== ''))].slice(0, MAX_TRACES);
      // Every other span of those traces (e.g. the API request span that enqueued the job, the webhook call).
      let spans = jobSpans;
      const room = TIMELINE_LIMIT - jobSpans.length;
      if (traceIds.length > 0 && room > 0) {
        const list = join(traceIds.map((t) => sql`${param.string(t)}`), sql`, `);
        const byTrace = spanQuery(sql`TraceId IN (${list}) AND JobId != ${param.string(jobId)}`, room);
        spans = [...jobSpans, ...(await store.query<SpanViewRow>(byTrace.sql, byTrace.params))];
      }
      if (!job && logs.length === 0 && spans.length === 0) {
        reply.code(404);
        return { error: 'JS_NOT_FOUND', message: `no job ${jobId} (no lifecycle events, logs or spans carry this job_id)` };
      }
      const timeline: TimelineItem[] = [
        ...logs.map((r) => ({ kind: r.EventType ? 'event' as const : 'log' as const, ...toLogView(r) })),
        ...spans.map((r) => spanTimelineItem(toSpanView(r))),
      ];
      timeline.sort((a, b) => (BigInt(a.timestamp_ns) < BigInt(b.timestamp_ns) ? -1 : BigInt(a.timestamp_ns) > BigInt(b.timestamp_ns) ? 1 : 0));
      return { job, traceIds, timeline };
    });
  };
}

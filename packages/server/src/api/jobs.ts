/**
 * GET /api/jobs?q=&status=&service_type=&model=&machine_id=&worker_id=&from=&to=&limit=&dataset=
 *   → {rows: JobState[]}, most recently active first.
 * GET /api/jobs/:jobId → {job, timeline}: the job's state and every event,
 *   log line and span of the job in time order — "what happened to job X".
 */
import type { FastifyInstance } from 'fastify';
import { JobscopeError } from '@jobscope/core';
import { JOB_STATE_COLUMNS, type Store } from '../store/index.js';
import { compileWhere, jobStatesTable, param, render, sql, type Sql } from '../query/index.js';
import { nsToIso, parseLimit, qs, timeRange } from './params.js';
import { selectList } from './select-list.js';
import { deriveJobState } from './job-state.js';
import { LOG_VIEW_COLUMNS, toLogView, type LogView, type LogViewRow } from './log-view.js';

export const JOBS_TABLE = jobStatesTable(JOB_STATE_COLUMNS);
/** Most records of one job on its page. */
const TIMELINE_LIMIT = 10_000;
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

interface SpanRowView {
  ts: string; TraceId: string; SpanId: string; ParentSpanId: string; SpanName: string; SpanKind: string; ServiceName: string;
  Duration: string; StatusCode: string; StatusMessage: string; MachineId: string; WorkerId: string; SpanAttributes: Record<string, string>;
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
      const spanQuery = (where: Sql) => render(sql`SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ts, TraceId, SpanId, ParentSpanId, SpanName, SpanKind,
        ServiceName, toString(Duration) AS Duration, StatusCode, StatusMessage, MachineId, WorkerId, SpanAttributes
        FROM otel_traces WHERE ${where}${ds} ORDER BY Timestamp LIMIT 10000`);
      // The job's events and logs, and the spans that carry its id, read at once (the store has several reader sessions).
      const byJob = spanQuery(sql`JobId = ${param.string(jobId)}`);
      const [logs, jobSpans] = await Promise.all([
        store.query<LogViewRow>(logsQ.sql, logsQ.params),
        store.query<SpanRowView>(byJob.sql, byJob.params),
      ]);
      // Spans of the job's traces that lack the job id (e.g. an API request span), only when some trace is not covered yet.
      const seen = new Set(jobSpans.map((x) => x.TraceId));
      const missing = [...new Set(logs.map((l) => l.TraceId).filter((t) => t && !seen.has(t)))].slice(0, 100);
      let spans = jobSpans;
      if (missing.length > 0) {
        const list = missing.map((t) => sql`${param.string(t)}`).reduce((a, b) => sql`${a}, ${b}`);
        const byTrace = spanQuery(sql`TraceId IN (${list}) AND JobId != ${param.string(jobId)}`);
        spans = [...jobSpans, ...(await store.query<SpanRowView>(byTrace.sql, byTrace.params))];
      }
      // The state from the events just read (same rules as job_states); the table only when they were cut off.
      let job = logs.length < TIMELINE_LIMIT ? deriveJobState(logs) : null;
      if (!job && logs.length >= TIMELINE_LIMIT) {
        const jobs = await store.query<JobState>(j.sql, j.params);
        job = jobs[0] ? toJobState(jobs[0]) : null;
      }
      if (!job && logs.length === 0 && spans.length === 0) {
        reply.code(404);
        return { error: 'JS_NOT_FOUND', message: `no job ${jobId} (no lifecycle events, logs or spans carry this job_id)` };
      }
      const timeline: TimelineItem[] = [
        ...logs.map((r) => ({ kind: r.EventType ? 'event' as const : 'log' as const, ...toLogView(r) })),
        ...spans.map((s) => ({
          kind: 'span' as const, timestamp: nsToIso(s.ts), timestamp_ns: s.ts, trace_id: s.TraceId, span_id: s.SpanId,
          parent_span_id: s.ParentSpanId, name: s.SpanName, span_kind: s.SpanKind, service_name: s.ServiceName,
          duration_ms: Number(BigInt(s.Duration) / 1000n) / 1000, status: s.StatusCode, status_message: s.StatusMessage,
          machine_id: s.MachineId, worker_id: s.WorkerId, attributes: s.SpanAttributes,
        })),
      ];
      timeline.sort((a, b) => (BigInt(a.timestamp_ns) < BigInt(b.timestamp_ns) ? -1 : BigInt(a.timestamp_ns) > BigInt(b.timestamp_ns) ? 1 : 0));
      return { job, timeline };
    });
  };
}

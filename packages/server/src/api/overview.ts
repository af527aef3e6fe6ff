/**
 * GET /api/overview?from=&to=&dataset= → the web UI's home page:
 *   {from, to, bucketSeconds,
 *    series: [{time, submitted, completed, failed}],          jobs per bucket (≈60 buckets, empty ones included)
 *    totals: {submitted, completed, failed, failureRate, inFlight, queued},
 *    durations: {byServiceType: [{key, count, p50, p95}], byModel: [...]},
 *    queueWait: {p50, p95},
 *    fleet: {machinesOnline, machinesSeen, workersOnline, workersSeen},
 *    topErrors: [{error_type, count, example}]}
 *
 * Four statements, run at once (the store has several reader sessions):
 *  1. lifecycle events per bucket from otel_logs (submitted = job_submitted,
 *     completed = job_completed, failed = job_failed + job_timeout);
 *  2. job states active in the range (job_states): in flight
 *     (assigned/accepted/in_progress), queued (queued/pending), quantiles of
 *     duration_ms of jobs finished in the range by service type and by model,
 *     quantiles of queue_wait_ms of jobs first claimed in the range;
 *  3. machines and workers seen in the range, and online (any record in the
 *     last 60 s);
 *  4. top error types of job_failed/job_timeout events, with the latest message.
 * Default range: the last hour; at most 31 days.
 */
import type { FastifyInstance } from 'fastify';
import { JOB_STATE_COLUMNS, type Store } from '../store/index.js';
import { param, render, schemaExpr, sql, type Sql } from '../query/index.js';
import { msToNs, qs } from './params.js';
import { logsWhere } from './logs.js';
import { parseInterval } from './stats.js';
import { selectList } from './select-list.js';
import { boundedRange, num, rate, textParam, wholeSeconds, type Range } from './ui-params.js';
import { MACHINE_EVENTS, ONLINE_WINDOW_MS, WORKER_EVENTS } from './fleet-events.js';

/** A machine or worker is online when it sent anything in the last minute. */
export { ONLINE_WINDOW_MS };
const TOP_ERRORS = 10;
/** Most keys per durations table. */
const TOP_KEYS = 50;
const EXAMPLE_CHARS = 300;
const FAILED_EVENTS = sql`('job_failed', 'job_timeout')`;

export interface KeyDurations { key: string; count: number; p50: number | null; p95: number | null }

const ns = (ms: number) => param.int64(msToNs(ms));
const dsFilter = (dataset: string | undefined): Sql => (dataset ? sql` AND Dataset = ${param.string(dataset)}` : sql``);

/** 1. Lifecycle events per bucket. */
function seriesQuery(range: Range, iv: number, dataset: string | undefined) {
  return render(sql`SELECT intDiv(toUnixTimestamp(TimestampTime), ${param.int64(iv)}) * ${param.int64(iv)} AS t,
      countIf(EventType = 'job_submitted') AS submitted,
      countIf(EventType = 'job_completed') AS completed,
      countIf(EventType IN ${FAILED_EVENTS}) AS failed
    FROM otel_logs
    WHERE ${logsWhere('', range, dataset)} AND EventType IN ('job_submitted', 'job_completed', 'job_failed', 'job_timeout')
    GROUP BY t ORDER BY t`);
}

/** 2. Job states of the jobs active in the range, aggregated three ways (all, by service type, by model). */
function jobsQuery(range: Range, dataset: string | undefined) {
  const from = ns(range.fromMs);
  const to = ns(range.toMs);
  const ds = dsFilter(dataset);
  const cols = selectList(['status', 'service_type', 'model', 'duration_ms', 'queue_wait_ms']
    .map((k) => [JOB_STATE_COLUMNS[k]!, k] as const));
  const inRange = (expr: string): Sql =>
    sql`ifNull(${schemaExpr(expr)} >= fromUnixTimestamp64Nano(${from}) AND ${schemaExpr(expr)} < fromUnixTimestamp64Nano(${to}), 0)`;
  return render(sql`SELECT grouping(service_type) AS g_st, grouping(model) AS g_m, service_type, model,
      countIf(finished AND duration_ms IS NOT NULL) AS n,
      quantilesIf(0.5, 0.95)(duration_ms, finished) AS d,
      quantilesIf(0.5, 0.95)(queue_wait_ms, claimed) AS w,
      countIf(status IN ('assigned', 'accepted', 'in_progress')) AS in_flight,
      countIf(status IN ('queued', 'pending')) AS queued
    FROM (
      SELECT ${cols}, ${inRange('max(FinishedAt)')} AS finished, ${inRange('min(FirstClaimedAt)')} AS claimed
      FROM job_states
      WHERE JobId IN (SELECT JobId FROM job_states WHERE LastEventAt >= fromUnixTimestamp64Nano(${from})
        AND FirstEventAt < fromUnixTimestamp64Nano(${to})${ds})${ds}
      GROUP BY Dataset, JobId
      HAVING max(LastEventAt) >= fromUnixTimestamp64Nano(${from}) AND min(FirstEventAt) < fromUnixTimestamp64Nano(${to})
    )
    GROUP BY GROUPING SETS ((), (service_type), (model))
    ORDER BY g_st, g_m, n DESC, service_type, model
    LIMIT ${param.int64(TOP_KEYS + 1)} BY g_st, g_m`);
}

/** 3. Machines and workers seen in the range, and online now. */
function fleetQuery(range: Range, nowMs: number, dataset: string | undefined) {
  const recentS = param.int64(Math.floor((nowMs - ONLINE_WINDOW_MS) / 1000));
  const inRange = sql`(TimestampTime >= toDateTime(${param.int64(range.fromMs / 1000)}) AND TimestampTime < toDateTime(${param.int64(range.toMs / 1000)}))`;
  const recent = sql`TimestampTime >= toDateTime(${recentS})`;
  // The fleet as /api/machines lists it: ids that sent machine or worker events (not the API service's host).
  return render(sql`SELECT
      uniqExactIf(MachineId, MachineId != '' AND machine_events > 0 AND seen > 0) AS machines_seen,
      uniqExactIf(MachineId, MachineId != '' AND machine_events > 0 AND online > 0) AS machines_online,
      uniqExactIf(WorkerId, WorkerId != '' AND worker_events > 0 AND seen > 0) AS workers_seen,
      uniqExactIf(WorkerId, WorkerId != '' AND worker_events > 0 AND online > 0) AS workers_online
    FROM (
      SELECT MachineId, WorkerId, countIf(${inRange}) AS seen, countIf(${recent}) AS online,
        countIf(EventType IN ${MACHINE_EVENTS}) AS machine_events, countIf(EventType IN ${WORKER_EVENTS}) AS worker_events
      FROM otel_logs
      WHERE (${inRange} OR ${recent}) AND (MachineId != '' OR WorkerId != '')${dsFilter(dataset)}
      GROUP BY MachineId, WorkerId
    )`);
}

/** 4. Error types of failed and timed-out jobs, with their latest message. */
function errorsQuery(range: Range, dataset: string | undefined) {
  return render(sql`SELECT if(LogAttributes['error_type'] = '', 'unknown', LogAttributes['error_type']) AS error_type,
      count() AS n,
      leftUTF8(argMax(if(LogAttributes['error'] != '', LogAttributes['error'], Body), Timestamp), ${param.int64(EXAMPLE_CHARS)}) AS example
    FROM otel_logs
    WHERE ${logsWhere('', range, dataset)} AND EventType IN ${FAILED_EVENTS}
    GROUP BY error_type ORDER BY n DESC, error_type LIMIT ${param.int64(TOP_ERRORS)}`);
}

interface SeriesRow { t: number; submitted: number; completed: number; failed: number }
interface JobsRow {
  g_st: number; g_m: number; service_type: string; model: string; n: number;
  d: (number | null)[]; w: (number | null)[]; in_flight: number; queued: number;
}
interface FleetRow { machines_seen: number; machines_online: number; workers_seen: number; workers_online: number }
interface ErrorRow { error_type: string; n: number; example: string }

export function overviewRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/overview', async (req) => {
      const p = qs(req.query);
      const dataset = textParam(p.dataset, 'dataset');
      const exact = boundedRange(p);
      // ≈60 buckets over the range as asked (before widening it to whole seconds, which may add one).
      const iv = parseInterval(undefined, exact.toMs - exact.fromMs);
      const range = wholeSeconds(exact);
      const nowMs = Date.now();
      const q = [seriesQuery(range, iv, dataset), jobsQuery(range, dataset), fleetQuery(range, nowMs, dataset), errorsQuery(range, dataset)];
      const [series, jobs, fleet, errors] = await Promise.all([
        store.query<SeriesRow>(q[0]!.sql, q[0]!.params),
        store.query<JobsRow>(q[1]!.sql, q[1]!.params),
        store.query<FleetRow>(q[2]!.sql, q[2]!.params),
        store.query<ErrorRow>(q[3]!.sql, q[3]!.params),
      ]);

      // Every bucket of the range, empty ones included, so the chart's x axis is continuous.
      const byTime = new Map(series.map((r) => [Number(r.t), r]));
      const buckets: { time: string; submitted: number; completed: number; failed: number }[] = [];
      const totals = { submitted: 0, completed: 0, failed: 0 };
      for (let t = Math.floor(range.fromMs / 1000 / iv) * iv; t * 1000 < range.toMs; t += iv) {
        const r = byTime.get(t);
        const b = { time: new Date(t * 1000).toISOString(), submitted: Number(r?.submitted ?? 0), completed: Number(r?.completed ?? 0), failed: Number(r?.failed ?? 0) };
        totals.submitted += b.submitted;
        totals.completed += b.completed;
        totals.failed += b.failed;
        buckets.push(b);
      }

      const all = jobs.find((r) => Number(r.g_st) === 1 && Number(r.g_m) === 1);
      const keyed = (rows: JobsRow[], key: (r: JobsRow) => string): KeyDurations[] => rows
        .filter((r) => Number(r.n) > 0).slice(0, TOP_KEYS)
        .map((r) => ({ key: key(r) === '' ? '(none)' : key(r), count: Number(r.n), p50: num(r.d[0]), p95: num(r.d[1]) }));
      const f = fleet[0];
      return {
        from: new Date(range.fromMs).toISOString(),
        to: new Date(range.toMs).toISOString(),
        bucketSeconds: iv,
        series: buckets,
        totals: {
          ...totals,
          failureRate: rate(totals.failed, totals.completed + totals.failed),
          inFlight: Number(all?.in_flight ?? 0),
          queued: Number(all?.queued ?? 0),
        },
        durations: {
          byServiceType: keyed(jobs.filter((r) => Number(r.g_st) === 0), (r) => r.service_type),
          byModel: keyed(jobs.filter((r) => Number(r.g_m) === 0), (r) => r.model),
        },
        queueWait: { p50: num(all?.w[0]), p95: num(all?.w[1]) },
        fleet: {
          machinesOnline: Number(f?.machines_online ?? 0), machinesSeen: Number(f?.machines_seen ?? 0),
          workersOnline: Number(f?.workers_online ?? 0), workersSeen: Number(f?.workers_seen ?? 0),
        },
        topErrors: errors.map((e) => ({ error_type: e.error_type, count: Number(e.n), example: e.example })),
      };
    });
  };
}

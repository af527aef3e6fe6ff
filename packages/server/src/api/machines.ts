/**
 * GET /api/machines?from=&to=&dataset= → the fleet page:
 *   {from, to, machines: [{machine_id, status: 'online'|'silent', last_seen, jobs, failed, failure_rate,
 *     workers: [{worker_id, status, last_heartbeat, last_seen, current_job_id, service_types}]}]}
 *
 * Machines are those with a record in the range, by MachineId, that are
 * part of the fleet: a machine or worker event (machine_started,
 * health_check, worker_*, job_received/started) came from them — the API
 * service's host, which only submits jobs, is not listed. `status` is online when the machine sent anything in the last
 * 60 s, else silent; `last_seen` is its latest record (in the range or the
 * last 60 s). `jobs` = job_completed + failed events in the range, `failed`
 * = job_failed + job_timeout events.
 *
 * Workers, by WorkerId under their machine, those that sent a worker event
 * or claimed a job (not, say, a machine's own logger):
 * - status: 'busy' while it holds a job, else 'idle' — unless the latest
 *   worker_status_changed/heartbeat, newer than its last job event, says it
 *   is stopped/offline/crashed/draining ('unknown' when nothing says);
 * - last_heartbeat: the latest worker_heartbeat (null when none);
 * - current_job_id: when the latest heartbeat is newer than the worker's
 *   latest job_started / terminal event, the heartbeat's `current_job_id`
 *   attribute; otherwise the job of its latest job_started that has no
 *   terminal event (completed, failed, cancelled, timeout) after it; null when idle;
 * - service_types: the `service_types` attribute (comma-separated or a JSON
 *   array) of its latest worker_registered event, else the service types its
 *   records carry.
 *
 * Two statements, run at once. At most 1000 machines and 10000 workers.
 * Default range: the last hour; at most 31 days.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/index.js';
import { param, render, sql, type Sql } from '../query/index.js';
import { nsToIso, qs } from './params.js';
import { MACHINE_EVENTS, ONLINE_WINDOW_MS, WORKER_EVENTS } from './fleet-events.js';
import { boundedRange, rate, textParam, wholeSeconds, type Range } from './ui-params.js';

const MAX_MACHINES = 1000;
const MAX_WORKERS = 10_000;
const TERMINAL = sql`('job_completed', 'job_failed', 'job_cancelled', 'job_timeout')`;
/** Statuses a status event may leave a worker in although no job says so. */
const DOWN_STATUSES = new Set(['stopped', 'offline', 'crashed', 'draining']);

export interface WorkerView {
  worker_id: string; status: string; last_heartbeat: string | null; last_seen: string | null;
  current_job_id: string | null; service_types: string[];
}
export interface MachineView {
  machine_id: string; status: 'online' | 'silent'; last_seen: string | null;
  jobs: number; failed: number; failure_rate: number; workers: WorkerView[];
}

interface Scope { where: Sql; inRange: Sql }

function scope(range: Range, nowMs: number, dataset: string | undefined, idColumn: 'MachineId' | 'WorkerId'): Scope {
  const inRange = sql`(TimestampTime >= toDateTime(${param.int64(range.fromMs / 1000)}) AND TimestampTime < toDateTime(${param.int64(range.toMs / 1000)}))`;
  const recent = sql`TimestampTime >= toDateTime(${param.int64(Math.floor((nowMs - ONLINE_WINDOW_MS) / 1000))})`;
  const id = idColumn === 'MachineId' ? sql`MachineId != ''` : sql`MachineId != '' AND WorkerId != ''`;
  const ds = dataset ? sql` AND Dataset = ${param.string(dataset)}` : sql``;
  return { inRange, where: sql`${id} AND (${inRange} OR ${recent})${ds}` };
}

function machinesQuery(s: Scope) {
  return render(sql`SELECT MachineId AS machine_id,
      toString(toUnixTimestamp64Nano(max(Timestamp))) AS last_seen,
      countIf(EventType = 'job_completed' AND ${s.inRange}) AS completed,
      countIf(EventType IN ('job_failed', 'job_timeout') AND ${s.inRange}) AS failed,
      countIf(${s.inRange}) AS seen,
      countIf(EventType IN ${MACHINE_EVENTS}) AS fleet_events
    FROM otel_logs WHERE ${s.where}
    GROUP BY MachineId HAVING seen > 0 AND fleet_events > 0
    ORDER BY machine_id LIMIT ${param.int64(MAX_MACHINES)}`);
}

/** Per (machine, worker, job) first, so a started job can be matched with its own terminal event. */
function workersQuery(s: Scope) {
  const statusEvent = sql`EventType IN ('worker_status_changed', 'worker_heartbeat') AND LogAttributes['status'] != ''`;
  return render(sql`SELECT MachineId AS machine_id, WorkerId AS worker_id,
      toString(toUnixTimestamp64Nano(max(last_ts))) AS last_seen,
      sum(seen) AS seen,
      argMaxIf(st, st_at, st != '') AS status,
      toString(toUnixTimestamp64Nano(max(st_at))) AS status_at,
      sum(worker_events) AS worker_events,
      toString(toUnixTimestamp64Nano(max(hb_at))) AS last_heartbeat,
      argMaxIf(hb_job, hb_at, has_hb) AS hb_job,
      argMaxIf(stypes, reg_at, stypes != '') AS registered_types,
      arraySort(groupUniqArrayArray(10)(types)) AS seen_types,
      argMaxIf(JobId, started_at, JobId != '' AND started_at > toDateTime64(0, 9) AND ended_at < started_at) AS open_job,
      toString(toUnixTimestamp64Nano(max(greatest(started_at, ended_at)))) AS last_job_event
    FROM (
      SELECT MachineId, WorkerId, JobId,
        max(Timestamp) AS last_ts,
        countIf(${s.inRange}) AS seen,
        countIf(EventType IN ${WORKER_EVENTS}) AS worker_events,
        argMaxIf(LogAttributes['status'], Timestamp, ${statusEvent}) AS st,
        maxIf(Timestamp, ${statusEvent}) AS st_at,
        maxIf(Timestamp, EventType = 'worker_heartbeat') AS hb_at,
        countIf(EventType = 'worker_heartbeat') > 0 AS has_hb,
        argMaxIf(LogAttributes['current_job_id'], Timestamp, EventType = 'worker_heartbeat') AS hb_job,
        argMaxIf(LogAttributes['service_types'], Timestamp, EventType = 'worker_registered') AS stypes,
        maxIf(Timestamp, EventType = 'worker_registered') AS reg_at,
        groupUniqArrayIf(10)(ServiceType, ServiceType != '') AS types,
        maxIf(Timestamp, EventType = 'job_started') AS started_at,
        maxIf(Timestamp, EventType IN ${TERMINAL}) AS ended_at
      FROM otel_logs WHERE ${s.where}
      GROUP BY MachineId, WorkerId, JobId
    )
    GROUP BY MachineId, WorkerId HAVING seen > 0 AND worker_events > 0
    ORDER BY machine_id, worker_id LIMIT ${param.int64(MAX_WORKERS)}`);
}

interface MachineRow { machine_id: string; last_seen: string; completed: number; failed: number }
interface WorkerRow {
  machine_id: string; worker_id: string; last_seen: string; status: string; status_at: string; last_heartbeat: string; hb_job: string;
  registered_types: string; seen_types: string[]; open_job: string; last_job_event: string;
}

const iso = (ns: string): string | null => (ns && ns !== '0' ? nsToIso(ns) : null);

/** `comfyui,openai` or `["comfyui","openai"]` → ['comfyui', 'openai']. */
export function parseServiceTypes(v: string): string[] {
  const t = v.trim();
  if (t.startsWith('[')) {
    try {
      const a: unknown = JSON.parse(t);
      if (Array.isArray(a)) return a.filter((x): x is string => typeof x === 'string' && x !== '').slice(0, 50);
    } catch { /* not JSON: split below */ }
  }
  return t.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 50);
}

/**
 * Job events are sent as they happen, heartbeats every few seconds: the
 * job a worker holds comes from its job events unless a heartbeat is newer,
 * and its status follows from that (busy with a job, else idle) — unless a
 * status event newer than its last job event says it went down (stopped…).
 */
function toWorker(r: WorkerRow): WorkerView {
  const hb = BigInt(r.last_heartbeat || '0');
  const jobEvent = BigInt(r.last_job_event || '0');
  const current = (hb > 0n && hb > jobEvent ? r.hb_job : r.open_job) || null;
  const statusAt = BigInt(r.status_at || '0');
  const down = DOWN_STATUSES.has(r.status) && statusAt >= jobEvent;
  return {
    worker_id: r.worker_id,
    status: down ? r.status : current ? 'busy' : (r.status !== '' || jobEvent > 0n) ? 'idle' : 'unknown',
    last_heartbeat: iso(r.last_heartbeat),
    last_seen: iso(r.last_seen),
    current_job_id: down ? null : current,
    service_types: r.registered_types ? parseServiceTypes(r.registered_types) : r.seen_types,
  };
}

export function machinesRoutes(store: Store) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/api/machines', async (req) => {
      const p = qs(req.query);
      const dataset = textParam(p.dataset, 'dataset');
      const range = wholeSeconds(boundedRange(p));
      const nowMs = Date.now();
      const mq = machinesQuery(scope(range, nowMs, dataset, 'MachineId'));
      const wq = workersQuery(scope(range, nowMs, dataset, 'WorkerId'));
      const [machines, workers] = await Promise.all([
        store.query<MachineRow>(mq.sql, mq.params),
        store.query<WorkerRow>(wq.sql, wq.params),
      ]);
      const byMachine = new Map<string, WorkerView[]>();
      for (const w of workers) {
        const list = byMachine.get(w.machine_id) ?? [];
        list.push(toWorker(w));
        byMachine.set(w.machine_id, list);
      }
      const onlineSince = BigInt(nowMs - ONLINE_WINDOW_MS) * 1_000_000n;
      return {
        from: new Date(range.fromMs).toISOString(),
        to: new Date(range.toMs).toISOString(),
        machines: machines.map((m): MachineView => {
          const completed = Number(m.completed);
          const failed = Number(m.failed);
          return {
            machine_id: m.machine_id,
            status: BigInt(m.last_seen || '0') >= onlineSince ? 'online' : 'silent',
            last_seen: iso(m.last_seen),
            jobs: completed + failed,
            failed,
            failure_rate: rate(failed, completed + failed),
            workers: byMachine.get(m.machine_id) ?? [],
          };
        }),
      };
    });
  };
}

/**
 * A job's state derived in memory from its lifecycle events — the same rules
 * as the job_states materialized view (store/schema/job-states.ts), so the
 * job page needs no second query: it already reads every event of the job.
 * job-state.int.test.ts checks that both derivations agree field by field.
 */
import { LIFECYCLE_EVENTS, statusAfter, type LifecycleEvent } from '@jobscope/core';
import { JOB_STATE_RANK } from '../store/index.js';
import { nsToIso } from './params.js';
import type { LogViewRow } from './log-view.js';

const LIFECYCLE = new Set<string>(LIFECYCLE_EVENTS);
const TERMINAL = new Set(['job_completed', 'job_failed', 'job_cancelled', 'job_timeout']);

type State = Record<string, string | number | null>;

/** Latest value by time among rows where it is non-empty (argMaxIf). */
class Latest<T> {
  value: T;
  #ts = -1n;
  constructor(empty: T) { this.value = empty; }
  offer(ts: bigint, v: T, when: boolean): void {
    if (when && ts > this.#ts) { this.#ts = ts; this.value = v; }
  }
}

const minOf = (a: bigint | null, b: bigint): bigint => (a === null || b < a ? b : a);
const maxOf = (a: bigint | null, b: bigint): bigint => (a === null || b > a ? b : a);
const iso = (ns: bigint | null): string | null => (ns === null ? null : nsToIso(ns.toString()));
const num = (s: string | undefined): number => { const n = Number(s); return s && Number.isFinite(n) ? n : 0; };

/** The job's state from its log rows (only lifecycle events count), or null when there are none. */
export function deriveJobState(rows: readonly LogViewRow[]): State | null {
  const events = rows.filter((r) => LIFECYCLE.has(r.EventType) && r.JobId !== '');
  if (events.length === 0) return null;
  // One state per (dataset, job): the dataset of the latest event.
  const latest = events.reduce((a, b) => (BigInt(b.ts) >= BigInt(a.ts) ? b : a));
  const mine = events.filter((r) => r.Dataset === latest.Dataset);
  let status = ''; let statusKey = [-1n, -1];
  const pick = { service_type: new Latest(''), model: new Latest(''), machine_id: new Latest(''), worker_id: new Latest(''), connector_id: new Latest(''), error_type: new Latest(''), error: new Latest(''), trace_id: new Latest(''), duration: new Latest(0), progress: new Latest(0) };
  let submitted: bigint | null = null; let claimed: bigint | null = null; let started: bigint | null = null;
  let finished: bigint | null = null; let first: bigint | null = null; let last: bigint | null = null;
  let starts = 0; let retries = 0; let maxAttempt = 0;
  for (const r of mine) {
    const ts = BigInt(r.ts);
    const e = r.EventType as LifecycleEvent;
    const a = r.LogAttributes;
    const rank = JOB_STATE_RANK[e] ?? 0;
    if (ts > statusKey[0]! || (ts === statusKey[0] && rank > statusKey[1]!)) { statusKey = [ts, rank]; status = statusAfter(e, a.status); }
    pick.service_type.offer(ts, r.ServiceType, r.ServiceType !== '');
    pick.model.offer(ts, a.model ?? '', !!a.model);
    pick.machine_id.offer(ts, r.MachineId, r.MachineId !== '');
    pick.worker_id.offer(ts, r.WorkerId, r.WorkerId !== '');
    pick.connector_id.offer(ts, r.ConnectorId, r.ConnectorId !== '');
    pick.error_type.offer(ts, a.error_type ?? '', !!a.error_type);
    pick.error.offer(ts, a.error ? a.error : r.Body, e === 'job_failed' || e === 'job_timeout');
    pick.trace_id.offer(ts, r.TraceId, r.TraceId !== '');
    pick.duration.offer(ts, num(a.duration_ms), TERMINAL.has(e) && !!a.duration_ms);
    pick.progress.offer(ts, num(a.progress), e === 'job_progress' || e === 'job_completed');
    if (e === 'job_submitted') submitted = minOf(submitted, ts);
    if (e === 'job_received' || e === 'job_started') claimed = minOf(claimed, ts);
    if (e === 'job_started') { started = maxOf(started, ts); starts++; }
    if (TERMINAL.has(e)) finished = maxOf(finished, ts);
    if (e === 'job_retried') retries++;
    first = minOf(first, ts);
    last = maxOf(last, ts);
    // toUInt32OrZero: digits only, else 0
    if (a.attempt && /^\d+$/.test(a.attempt)) maxAttempt = Math.max(maxAttempt, Number(a.attempt) >>> 0);
  }
  // dateDiff('millisecond', a, b) counts millisecond boundaries crossed
  const ms = (from: bigint | null, to: bigint | null): number | null => (from === null || to === null ? null : Number(to / 1_000_000n - from / 1_000_000n));
  const duration = pick.duration.value > 0 ? pick.duration.value : ms(started, finished);
  const wait = ms(submitted, claimed);
  return {
    dataset: latest.Dataset, job_id: latest.JobId, status,
    service_type: pick.service_type.value, model: pick.model.value, machine_id: pick.machine_id.value,
    worker_id: pick.worker_id.value, connector_id: pick.connector_id.value, error_type: pick.error_type.value,
    error: pick.error.value, trace_id: pick.trace_id.value, progress: pick.progress.value,
    submitted_at: iso(submitted), started_at: iso(started), finished_at: iso(finished),
    first_event_at: iso(first), last_event_at: iso(last),
    attempts: Math.max(maxAttempt, starts), retries, events: mine.length,
    queue_wait_ms: wait === null ? null : Math.max(0, wait), duration_ms: duration,
  };
}

/**
 * What makes an id part of the fleet, for /api/overview and /api/machines:
 * an id that only appears on other records (the API service's host, a
 * machine's own logger under a worker id) is not a machine or a worker.
 */
import { sql } from '../query/index.js';

/** A machine or worker that sent anything in the last minute is online. */
export const ONLINE_WINDOW_MS = 60_000;
/** What only a worker sends. */
export const WORKER_EVENTS = sql`('worker_registered', 'worker_heartbeat', 'worker_status_changed', 'job_received', 'job_started')`;
/** What only a machine of the fleet (or its workers) sends. */
export const MACHINE_EVENTS = sql`('machine_started', 'machine_stopped', 'health_check', 'worker_registered', 'worker_heartbeat', 'worker_status_changed', 'job_received', 'job_started')`;

/** Whether a worker counts as online: a live status, or (status unknown) a record in the last minute. */
import type { WorkerInfo } from './types.js';

const DOWN = new Set(['offline', 'silent', 'stopped', 'down', 'unhealthy']);
const ONLINE_MS = 60_000;

export function workerOnline(w: WorkerInfo, now = Date.now()): boolean {
  if (DOWN.has(w.status)) return false;
  if (w.status && w.status !== 'unknown') return true;
  const seen = Date.parse(w.last_seen ?? w.last_heartbeat ?? '');
  return Number.isFinite(seen) && now - seen < ONLINE_MS;
}

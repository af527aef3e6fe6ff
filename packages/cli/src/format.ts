/** Human-readable rendering of log rows and job timelines for the terminal. */
export interface LogView {
  timestamp: string;
  level: string;
  message: string;
  job_id: string;
  machine_id: string;
  worker_id: string;
  service_type: string;
  event_type: string;
  trace_id: string;
  [k: string]: unknown;
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const LEVEL_COLOR: Record<string, number> = { fatal: 35, error: 31, warn: 33, info: 32, debug: 36, trace: 90 };

/** Strips terminal control characters from log content so a log line cannot drive the terminal. */
export function safe(s: string | undefined | null): string {
  if (s === undefined || s === null) return "";
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatLog(r: LogView): string {
  const lvl = (r.level || 'info').toUpperCase().padEnd(5);
  const where = [r.machine_id, r.worker_id].filter(Boolean).join('/');
  const parts = [
    paint(90, r.timestamp),
    paint(LEVEL_COLOR[r.level] ?? 0, lvl),
    where ? paint(90, `[${safe(where)}]`) : '',
    r.job_id ? paint(34, safe(r.job_id)) : '',
    r.event_type ? paint(36, safe(r.event_type)) : '',
    safe(r.message),
  ];
  return parts.filter(Boolean).join(' ');
}

/** A job or span status as a coloured pill (colours in styles.css by status class). */

const CLASS: Record<string, string> = {
  completed: 'ok', ok: 'ok', online: 'ok', idle: 'ok', busy: 'run', starting: 'run', stopped: 'wait',
  failed: 'bad', error: 'bad', unworkable: 'bad', offline: 'bad',
  timeout: 'warn', cancelled: 'warn', silent: 'warn',
  in_progress: 'run', assigned: 'run', accepted: 'run', running: 'run',
  queued: 'wait', pending: 'wait',
};

export function statusClass(status: string): string {
  return CLASS[status.toLowerCase()] ?? 'wait';
}

export function StatusBadge({ status, testid }: { status: string; testid?: string }) {
  const s = status || 'unknown';
  return <span class={`badge ${statusClass(s)}`} data-testid={testid} data-status={s}>{s.replace(/_/g, ' ')}</span>;
}

const LEVEL: Record<string, string> = { fatal: 'bad', error: 'bad', warn: 'warn', info: 'info', debug: 'wait', trace: 'wait' };

export function LevelBadge({ level }: { level: string }) {
  return <span class={`level ${LEVEL[level] ?? 'wait'}`}>{level || '–'}</span>;
}

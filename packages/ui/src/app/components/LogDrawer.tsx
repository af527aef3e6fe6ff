/** A log record in full (every field, attribute and resource attribute), with links to its job and trace. */
import type { LogRow } from '../types.js';
import { fmtDateTime } from '../format.js';
import { hrefWith } from '../router.js';
import { term } from '../query.js';
import { around } from '../time.js';
import { Drawer } from './Drawer.js';
import { KeyValues } from './KeyValues.js';
import { LevelBadge } from './StatusBadge.js';

const FIELDS = ['timestamp', 'level', 'event_type', 'job_id', 'machine_id', 'worker_id', 'service_type', 'connector_id',
  'service_name', 'dataset', 'trace_id', 'span_id'] as const;

export function LogDrawer({ row, onClose, onPick }: { row: Partial<LogRow>; onClose: () => void; onPick?: (field: string, value: string) => void }) {
  const fields: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = row[f];
    if (v !== undefined && v !== '') fields[f] = String(v);
  }
  if (row.severity !== undefined) fields.severity = String(row.severity);
  return (
    <Drawer title="Log record" onClose={onClose} testid="log-drawer">
      <div class="drawer-top">
        <LevelBadge level={row.level ?? ''} />
        <span title={row.timestamp}>{fmtDateTime(row.timestamp)}</span>
      </div>
      <pre class="log-full">{row.message ?? ''}</pre>
      <div class="links">
        {row.job_id && <a data-testid="drawer-link-job" href={`/jobs/${encodeURIComponent(row.job_id)}`}>job {row.job_id}</a>}
        {row.trace_id && <a data-testid="drawer-link-trace" href={`/traces/${row.trace_id}`}>trace {row.trace_id.slice(0, 12)}…</a>}
        {row.trace_id && row.span_id && (
          <a href={hrefWith('/logs', { q: `${term('trace_id', row.trace_id)} ${term('span_id', row.span_id)}`, ...around(row.timestamp, row.timestamp, 15 * 60_000) })}>logs of this span</a>
        )}
      </div>
      <h3>Fields</h3>
      <KeyValues data={fields} onPick={onPick} />
      <h3>Attributes</h3>
      <KeyValues data={row.attributes ?? {}} onPick={onPick} />
      <h3>Resource</h3>
      <KeyValues data={row.resource ?? {}} onPick={onPick && ((k, v) => onPick(`resource.${k}`, v))} />
    </Drawer>
  );
}

/**
 * The result list: one fixed-height row per record (windowed), the message
 * as text, links to the record's job and trace; a click opens the record.
 */
import type { ComponentChildren, Ref } from 'preact';
import type { LogRow } from '../../types.js';
import { fmtClock, fmtDateTime } from '../../format.js';
import { LevelBadge } from '../../components/StatusBadge.js';
import { VirtualList } from '../../components/VirtualList.js';

export const LOG_ROW_HEIGHT = 24;

export interface LogListProps {
  count: number;
  rowAt: (i: number) => LogRow | null;
  onRange?: (first: number, last: number) => void;
  onOpen: (r: LogRow) => void;
  selected: LogRow | null;
  scrollRef?: Ref<HTMLDivElement>;
  empty: ComponentChildren;
}

export function LogList({ count, rowAt, onRange, onOpen, selected, scrollRef, empty }: LogListProps) {
  return (
    <div class="table-frame fill">
      <div class="log-grid log-head" role="row">
        <span>time</span><span>level</span><span>service / machine</span><span>job</span><span>message</span>
      </div>
      <VirtualList class="fill" count={count} rowHeight={LOG_ROW_HEIGHT} onRange={onRange} scrollRef={scrollRef} testid="log-list" empty={empty}
        renderRow={(i) => {
          const r = rowAt(i);
          if (!r) return <div key={`p${i}`} class="log-grid log-row placeholder"><span class="muted">…</span></div>;
          const err = r.level === 'error' || r.level === 'fatal';
          return (
            <div key={`${r.timestamp_ns}-${i}`} role="button" tabIndex={0} data-testid="log-row"
              class={`log-grid log-row${err ? ' error' : ''}${selected === r ? ' selected' : ''}`}
              onClick={(e) => { if (!(e.target as Element).closest('a')) onOpen(r); }}
              onKeyDown={(e) => { if (e.key === 'Enter') onOpen(r); }}>
              <span class="mono" title={fmtDateTime(r.timestamp)}>{fmtClock(r.timestamp)}</span>
              <span><LevelBadge level={r.level} /></span>
              <span class="ellipsis" title={`${r.service_name} ${r.machine_id} ${r.worker_id}`}>{r.service_name || r.machine_id}</span>
              <span class="ellipsis mono">{r.job_id && <a href={`/jobs/${encodeURIComponent(r.job_id)}`} title={r.job_id}>{r.job_id}</a>}</span>
              <span class="msg-cell">
                {r.event_type && <span class="event-tag">{r.event_type}</span>}
                <span class="log-message" data-testid="log-message">{r.message}</span>
                {r.trace_id && <a class="trace-link" href={`/traces/${r.trace_id}`} title={`trace ${r.trace_id}`}>trace</a>}
              </span>
            </div>
          );
        }}
      />
    </div>
  );
}

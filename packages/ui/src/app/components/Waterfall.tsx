/**
 * A trace's span tree as a waterfall: one row per span, indented by depth,
 * a bar placed on the trace's time axis, services coloured, errors marked.
 * Subtrees fold; large traces are windowed. The tree is walked without
 * recursion (traces can be thousands of levels deep).
 */
import { useMemo, useState } from 'preact/hooks';
import type { SpanNode } from '../types.js';
import { fmtDuration } from '../format.js';
import { VirtualList } from './VirtualList.js';

const PALETTE = ['#2563eb', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ca8a04', '#4f46e5', '#0d9488', '#c2410c', '#9333ea'];

export function serviceColor(services: readonly string[], name: string): string {
  const i = services.indexOf(name);
  if (i >= 0) return PALETTE[i % PALETTE.length]!;
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

interface Row { span: SpanNode; depth: number; offsetMs: number; hasChildren: boolean }

const ROW = 24;
const MAX_INDENT = 30;

function flatten(roots: readonly SpanNode[], collapsed: ReadonlySet<string>): { rows: Row[]; startNs: bigint; totalMs: number } {
  let startNs: bigint | null = null;
  let endNs: bigint | null = null;
  const all: SpanNode[] = [];
  const stack: SpanNode[] = [...roots].reverse();
  while (stack.length > 0) {
    const s = stack.pop()!;
    all.push(s);
    const st = BigInt(s.startTimeNs || '0');
    const en = BigInt(s.endTimeNs || s.startTimeNs || '0');
    if (startNs === null || st < startNs) startNs = st;
    if (endNs === null || en > endNs) endNs = en;
    for (let i = s.children.length - 1; i >= 0; i--) stack.push(s.children[i]!);
  }
  const start = startNs ?? 0n;
  const totalMs = Math.max(0.001, Number((endNs ?? start) - start) / 1e6);
  const rows: Row[] = [];
  const visit: { s: SpanNode; d: number }[] = [...roots].reverse().map((s) => ({ s, d: 0 }));
  while (visit.length > 0) {
    const { s, d } = visit.pop()!;
    rows.push({ span: s, depth: d, offsetMs: Number(BigInt(s.startTimeNs || '0') - start) / 1e6, hasChildren: s.children.length > 0 });
    if (collapsed.has(s.spanId)) continue;
    for (let i = s.children.length - 1; i >= 0; i--) visit.push({ s: s.children[i]!, d: d + 1 });
  }
  return { rows, startNs: start, totalMs };
}

export interface WaterfallProps {
  roots: readonly SpanNode[];
  services: readonly string[];
  selected: string | null;
  onSelect: (span: SpanNode) => void;
  /** Highlights spans of this job (the job page). */
  jobId?: string;
  maxHeight?: number;
}

export function Waterfall({ roots, services, selected, onSelect, jobId, maxHeight = 560 }: WaterfallProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const { rows, totalMs } = useMemo(() => flatten(roots, collapsed), [roots, collapsed]);
  const toggle = (id: string) => {
    const next = new Set(collapsed);
    if (next.has(id)) next.delete(id); else next.add(id);
    setCollapsed(next);
  };
  return (
    <div class="waterfall" data-testid="waterfall">
      <div class="wf-head">
        <span class="wf-name">span</span>
        <span class="wf-axis">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <span key={f} class="wf-tick" style={{ left: `${f * 100}%` }}>{fmtDuration(totalMs * f)}</span>
          ))}
        </span>
      </div>
      <VirtualList
        count={rows.length}
        rowHeight={ROW}
        maxHeight={maxHeight}
        drawAllUpTo={300}
        renderRow={(i) => {
          const r = rows[i]!;
          const s = r.span;
          const err = s.statusCode === 'Error' || s.statusCode === 'STATUS_CODE_ERROR';
          const left = (r.offsetMs / totalMs) * 100;
          const width = Math.max(0.15, (s.durationMs / totalMs) * 100);
          const color = serviceColor(services, s.serviceName);
          return (
            <div key={s.spanId} role="button" tabIndex={0}
              class={`wf-row${selected === s.spanId ? ' selected' : ''}${err ? ' error' : ''}${jobId && s.job_id === jobId ? ' mine' : ''}`}
              data-testid="span-row" data-span-id={s.spanId} data-status={s.statusCode}
              onClick={() => onSelect(s)} onKeyDown={(e) => { if (e.key === 'Enter') onSelect(s); }}>
              <span class="wf-name" style={{ paddingLeft: `${Math.min(r.depth, MAX_INDENT) * 12 + 4}px` }}>
                {r.hasChildren
                  ? <button type="button" class="wf-fold" aria-label={collapsed.has(s.spanId) ? 'expand' : 'collapse'}
                      onClick={(e) => { e.stopPropagation(); toggle(s.spanId); }}>{collapsed.has(s.spanId) ? '▸' : '▾'}</button>
                  : <span class="wf-fold" />}
                <span class="svc-dot" style={{ background: color }} title={s.serviceName} />
                {err && <span class="err-mark" title={s.statusMessage || 'error'}>!</span>}
                <span class="wf-label" title={`${s.serviceName}: ${s.name}`}>{s.name}</span>
                <span class="wf-svc">{s.serviceName}</span>
              </span>
              <span class="wf-track">
                <span class="wf-bar" style={{ left: `${left}%`, width: `${width}%`, background: err ? '#dc2626' : color }} />
                <span class="wf-dur" style={left + width > 85 ? { right: `${100 - left + 0.5}%` } : { left: `${left + width + 0.5}%` }}>
                  {fmtDuration(s.durationMs)}
                </span>
              </span>
            </div>
          );
        }}
      />
    </div>
  );
}

/**
 * "What happened to job X, and why?" on one page: the job's state, ONE
 * timeline of its events, logs and spans across every process, its traces as
 * waterfalls, and the machine's other jobs around that time
 * (GET /api/jobs/:id, /api/traces/:id, /api/jobs?machine_id=…).
 */
import { useMemo, useState } from 'preact/hooks';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { LogDrawer } from '../../components/LogDrawer.js';
import { useReady } from '../../ready.js';
import { hrefWith } from '../../router.js';
import { term } from '../../query.js';
import { around } from '../../time.js';
import type { JobAnswer, JobState, LogRow, Span, SpanNode, TimelineItem } from '../../types.js';
import { useApi } from '../../useApi.js';
import { JobSummary } from './JobSummary.js';
import { JobTraces } from './JobTraces.js';
import { MachineJobs } from './MachineJobs.js';
import { Timeline } from './Timeline.js';
import { useTraces } from './useTraces.js';

function indexSpans(roots: readonly SpanNode[], into: Map<string, SpanNode>): void {
  const stack = [...roots];
  while (stack.length > 0) {
    const s = stack.pop()!;
    into.set(s.spanId, s);
    stack.push(...s.children);
  }
}

export function JobPage({ id }: { id: string }) {
  const ans = useApi<JobAnswer>(`/api/jobs/${encodeURIComponent(id)}`);
  const d = ans.fresh ? ans.data : null;
  const timeline = d?.timeline ?? [];
  const job = d?.job ?? null;

  // Only traces with stored spans are fetched (the others were sampled out: no 404s).
  const spanTraces = useMemo(() => {
    const withSpans = new Set(timeline.filter((t) => t.kind === 'span' && t.traceId).map((t) => t.traceId!));
    const ordered = (d?.traceIds ?? []).filter((t) => withSpans.has(t));
    for (const t of withSpans) if (!ordered.includes(t)) ordered.push(t);
    return ordered.slice(0, 10);
  }, [d]);
  const traces = useTraces(spanTraces);
  const spans = useMemo(() => {
    const m = new Map<string, SpanNode>();
    for (const t of traces.traces) indexSpans(t.roots, m);
    return m;
  }, [traces.traces]);

  const first = job?.first_event_at ?? timeline[0]?.timestamp ?? null;
  const last = job?.last_event_at ?? timeline[timeline.length - 1]?.timestamp ?? null;
  const machineId = job?.machine_id || timeline.find((t) => t.machine_id)?.machine_id || '';
  const win = around(first, last, 10 * 60_000);
  const mjobs = useApi<{ rows: JobState[] }>(d && machineId ? '/api/jobs' : null, { machine_id: machineId, from: win.from, to: win.to, limit: 50 });

  const [selectedSpan, setSelectedSpan] = useState<Span | null>(null);
  const [openLog, setOpenLog] = useState<Partial<LogRow> | null>(null);

  useReady('job', !!d && traces.done && (!machineId || mjobs.fresh || mjobs.error !== null));

  const onOpen = (t: TimelineItem) => {
    if (t.kind !== 'span') { setOpenLog(t); return; }
    const s = t.spanId ? spans.get(t.spanId) : undefined;
    if (s) {
      setSelectedSpan(s);
      requestAnimationFrame(() => document.querySelector(`[data-span-id="${s.spanId}"]`)?.scrollIntoView({ block: 'nearest' }));
    }
  };

  const logsRange = around(first, last, 5 * 60_000);
  const logsHref = hrefWith('/logs', { q: term('job_id', id), from: logsRange.from, to: logsRange.to });
  const traceId = spanTraces[0] ?? null;

  return (
    <main class="page">
      <ErrorBanner error={ans.error} what={`job ${id}`} onRetry={ans.reload} />
      {!d && !ans.error && <p class="loading">loading job {id}…</p>}
      {d && (
        <>
          <JobSummary id={id} job={job} logsHref={logsHref}
            traceHref={traceId ? `/traces/${traceId}` : null}
            traceNote={d.traceIds.length > 0 ? "this job's trace was sampled out (no spans stored)" : "no trace id on this job's records"} />
          <Timeline items={timeline} onOpen={onOpen} />
          <JobTraces jobId={id} traces={traces.traces} error={traces.error} done={traces.done} selected={selectedSpan}
            onSelect={setSelectedSpan} unsampled={(d.traceIds ?? []).filter((t) => !spanTraces.includes(t))} />
          <MachineJobs machineId={machineId} jobId={id} range={win} state={machineId ? mjobs : null} />
        </>
      )}
      {openLog && <LogDrawer row={openLog} onClose={() => setOpenLog(null)} />}
    </main>
  );
}

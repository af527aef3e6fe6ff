/** The job's traces as waterfalls, with the selected span's details beside them. */
import type { ApiError } from '../../api.js';
import type { Span, SpanNode, TraceAnswer } from '../../types.js';
import { fmtCount, fmtDuration } from '../../format.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { SpanDetails } from '../../components/SpanDetails.js';
import { Waterfall } from '../../components/Waterfall.js';

export interface JobTracesProps {
  jobId: string;
  traces: TraceAnswer[];
  error: ApiError | null;
  done: boolean;
  selected: Span | null;
  onSelect: (s: SpanNode | null) => void;
  /** Trace ids the job has but no stored spans for (sampled out). */
  unsampled: string[];
}

export function JobTraces({ jobId, traces, error, done, selected, onSelect, unsampled }: JobTracesProps) {
  return (
    <section class="panel">
      <header class="panel-head">
        <h2>Spans</h2>
        {!done && <span class="loading">loading…</span>}
      </header>
      <ErrorBanner error={error} what="a trace" />
      {done && traces.length === 0 && (
        <p class="muted">
          No spans are stored for this job{unsampled.length > 0 ? ` (its trace ${unsampled[0]} was not kept)` : ''}.
          Traces are sampled: every failed, retried or slow job keeps its whole trace, and about 10 % of the others.
        </p>
      )}
      {traces.length > 0 && (
        <div class="split">
          <div class="split-main">
            {traces.map((t) => (
              <div key={t.traceId} class="trace-block">
                <div class="trace-head">
                  <a class="mono" href={`/traces/${t.traceId}`}>trace {t.traceId}</a>
                  <span>{fmtCount(t.spanCount)} spans</span>
                  <span>{fmtDuration(t.durationMs)}</span>
                  <span>{t.services.join(', ')}</span>
                  {t.errorCount > 0 && <span class="err-text">{t.errorCount} error{t.errorCount === 1 ? '' : 's'}</span>}
                  {t.truncated && <span class="warn-text">truncated</span>}
                </div>
                <Waterfall roots={t.roots} services={t.services} selected={selected?.spanId ?? null} onSelect={onSelect} jobId={jobId} maxHeight={420} />
              </div>
            ))}
          </div>
          <div class="split-side">
            <SpanDetails span={selected} showTraceLink onClose={selected ? () => onSelect(null) : undefined} />
          </div>
        </div>
      )}
    </section>
  );
}

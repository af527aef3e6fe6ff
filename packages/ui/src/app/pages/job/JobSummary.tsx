/** The job's state in one block: status, attempts, queue wait, run time, where it ran, its error, and links. */
import type { ComponentChildren } from 'preact';
import type { JobState } from '../../types.js';
import { fmtDateTime, fmtDuration } from '../../format.js';
import { hrefWith } from '../../router.js';
import { StatusBadge } from '../../components/StatusBadge.js';

function Fact({ label, children, testid }: { label: string; children: ComponentChildren; testid?: string }) {
  return (
    <div class="fact">
      <div class="fact-label">{label}</div>
      <div class="fact-value" data-testid={testid}>{children}</div>
    </div>
  );
}

export interface JobSummaryProps {
  id: string;
  job: JobState | null;
  traceHref: string | null;
  traceNote: string;
  logsHref: string;
}

export function JobSummary({ id, job, traceHref, traceNote, logsHref }: JobSummaryProps) {
  const j = job;
  return (
    <section class="panel job-summary">
      <div class="job-title">
        <h1><span class="muted">job</span> <span class="mono">{id}</span></h1>
        <StatusBadge status={j?.status || 'unknown'} testid="job-status" />
        {j?.status === 'in_progress' && j.progress > 0 && <span class="progress">{Math.round(j.progress)}%</span>}
        <span class="spacer" />
        {traceHref
          ? <a class="btn" data-testid="link-trace" href={traceHref}>Trace</a>
          : <span class="btn disabled" data-testid="link-trace" title={traceNote}>No trace</span>}
        <a class="btn" data-testid="link-logs" href={logsHref}>Logs</a>
      </div>
      {!j && <p class="muted">No lifecycle events carry this job id; below are the logs and spans that do.</p>}
      {j && (
        <div class="facts">
          <Fact label="attempts" testid="job-attempts">{j.attempts}{j.retries > 0 ? ` (${j.retries} retr${j.retries === 1 ? 'y' : 'ies'})` : ''}</Fact>
          <Fact label="queue wait">{fmtDuration(j.queue_wait_ms)}</Fact>
          <Fact label="run time">{fmtDuration(j.duration_ms)}</Fact>
          <Fact label="service type">{j.service_type ? <a href={hrefWith('/jobs', { service_type: j.service_type })}>{j.service_type}</a> : '–'}</Fact>
          <Fact label="model">{j.model || '–'}</Fact>
          <Fact label="machine">{j.machine_id ? <a href={hrefWith('/machines', {})}>{j.machine_id}</a> : '–'}</Fact>
          <Fact label="worker">{j.worker_id || '–'}</Fact>
          <Fact label="connector">{j.connector_id || '–'}</Fact>
          <Fact label="submitted">{fmtDateTime(j.submitted_at)}</Fact>
          <Fact label="started">{fmtDateTime(j.started_at)}</Fact>
          <Fact label="finished">{fmtDateTime(j.finished_at)}</Fact>
          <Fact label="events">{j.events}</Fact>
        </div>
      )}
      {j?.error && (
        <div class={`job-error${j.status === 'failed' || j.status === 'timeout' ? '' : ' earlier'}`}>
          <b>{j.status === 'failed' || j.status === 'timeout' ? j.error_type || 'error' : `earlier attempt: ${j.error_type || 'error'}`}</b>
          <span class="job-error-text">{j.error}</span>
        </div>
      )}
    </section>
  );
}

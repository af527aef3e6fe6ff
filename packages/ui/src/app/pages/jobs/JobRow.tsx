/** One row of the jobs list: a link to the job's page (fixed height, for windowing). */
import type { JobState } from '../../types.js';
import { fmtAgo, fmtDuration } from '../../format.js';
import { StatusBadge } from '../../components/StatusBadge.js';

export const JOB_ROW_HEIGHT = 30;

export function JobHeader() {
  return (
    <div class="job-grid job-head" role="row">
      <span>status</span><span>job</span><span>service type</span><span>model</span><span>machine</span><span>worker</span>
      <span class="num">attempts</span><span class="num">queue wait</span><span class="num">run time</span><span>error</span><span class="num">last activity</span>
    </div>
  );
}

export function JobRow({ job, now }: { job: JobState; now: number }) {
  return (
    <a class="job-grid job-row" role="row" href={`/jobs/${encodeURIComponent(job.job_id)}`} data-testid="job-row" data-job-id={job.job_id}>
      <span><StatusBadge status={job.status} /></span>
      <span class="mono ellipsis" title={job.job_id}>{job.job_id}</span>
      <span class="ellipsis">{job.service_type}</span>
      <span class="ellipsis" title={job.model}>{job.model}</span>
      <span class="ellipsis">{job.machine_id}</span>
      <span class="ellipsis" title={job.worker_id}>{job.worker_id}</span>
      <span class="num">{job.attempts}</span>
      <span class="num">{fmtDuration(job.queue_wait_ms)}</span>
      <span class="num">{fmtDuration(job.duration_ms)}</span>
      <span class="ellipsis err-text" title={job.error}>{job.status === 'failed' || job.status === 'timeout' ? job.error_type || job.error : ''}</span>
      <span class="num" title={job.last_event_at ?? ''}>{fmtAgo(job.last_event_at, now)}</span>
    </a>
  );
}

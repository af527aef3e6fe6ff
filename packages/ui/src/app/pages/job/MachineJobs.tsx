/**
 * The other jobs on the same machine around this job's time: a machine
 * problem (OOM, a crash) shows as neighbours failing together.
 */
import type { JobState } from '../../types.js';
import type { ApiState } from '../../useApi.js';
import { fmtClock, fmtDuration } from '../../format.js';
import { hrefWith } from '../../router.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import type { Range } from '../../time.js';

export function MachineJobs({ machineId, jobId, range, state }: { machineId: string; jobId: string; range: Range; state: ApiState<{ rows: JobState[] }> | null }) {
  const rows = state?.data?.rows ?? [];
  const failed = rows.filter((r) => r.status === 'failed' || r.status === 'timeout').length;
  return (
    <section class="panel" data-testid="machine-jobs">
      <header class="panel-head">
        <h2>Other jobs on {machineId || 'the machine'}</h2>
        {machineId && <span class="muted small">{rows.length} jobs around this one{failed > 0 ? `, ${failed} failed` : ''}</span>}
        <span class="spacer" />
        {machineId && <a class="small-link" href={hrefWith('/jobs', { machine_id: machineId, from: range.from, to: range.to })}>all in the jobs list →</a>}
      </header>
      {!machineId && <p class="muted">The job has not run on a machine.</p>}
      {state && <ErrorBanner error={state.error} what="the machine's jobs" onRetry={state.reload} />}
      {machineId && state?.data && (
        <div class="scroll-box">
          <table class="grid">
            <thead><tr><th>status</th><th>job</th><th>service type</th><th>worker</th><th>started</th><th class="num">run time</th><th>error</th></tr></thead>
            <tbody>
              {rows.length === 0 && <tr><td colSpan={7} class="muted">no other jobs</td></tr>}
              {rows.map((r) => (
                <tr key={r.job_id} class={r.job_id === jobId ? 'current' : ''} data-job-id={r.job_id}>
                  <td><StatusBadge status={r.status} /></td>
                  <td class="mono">{r.job_id === jobId ? <b>{r.job_id} (this job)</b> : <a href={`/jobs/${encodeURIComponent(r.job_id)}`}>{r.job_id}</a>}</td>
                  <td>{r.service_type}</td>
                  <td>{r.worker_id}</td>
                  <td class="mono">{fmtClock(r.started_at ?? r.first_event_at)}</td>
                  <td class="num">{fmtDuration(r.duration_ms)}</td>
                  <td class="ellipsis err-text" title={r.error}>{r.status === 'failed' || r.status === 'timeout' ? r.error_type : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * Machines and their workers: online or silent, last heartbeat, the job each
 * worker is running, recent failure rate (GET /api/machines).
 */
import { Fragment } from 'preact';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { TimeRangePicker } from '../../components/TimeRangePicker.js';
import { fmtAgo, fmtCount, fmtPercent } from '../../format.js';
import { useReady } from '../../ready.js';
import { hrefWith, useLocation } from '../../router.js';
import { isRelative, rangeFrom } from '../../time.js';
import type { MachinesAnswer, WorkerInfo } from '../../types.js';
import { useApi } from '../../useApi.js';
import { workerOnline } from '../../fleet.js';

function serviceTypes(w: WorkerInfo): string {
  return Array.isArray(w.service_types) ? w.service_types.join(', ') : w.service_types ?? '';
}

export function MachinesPage() {
  const loc = useLocation();
  const range = rangeFrom(loc.params);
  const ans = useApi<MachinesAnswer>('/api/machines', { from: range.from, to: range.to }, { refreshMs: isRelative(range) ? 15_000 : undefined });
  useReady('machines', ans.fresh);
  const machines = ans.data?.machines ?? [];
  const now = Date.now();
  const jobsRange = loc.params.get('from') ? { from: range.from, to: range.to } : {};

  return (
    <main class="page">
      <div class="toolbar">
        <h1>Machines and workers</h1>
        <span class="spacer" />
        {ans.loading && <span class="loading">loading…</span>}
        <TimeRangePicker range={range} />
      </div>
      <ErrorBanner error={ans.error} what="machines" onRetry={ans.reload} />
      {ans.data && (
        <section class="panel">
          <table class="grid machines">
            <thead>
              <tr><th>status</th><th>machine / worker</th><th>last seen</th><th>current job</th><th>service types</th>
                <th class="num">jobs</th><th class="num">failed</th><th class="num">failure rate</th></tr>
            </thead>
            <tbody>
              {machines.length === 0 && <tr><td colSpan={8} class="muted">No machine has reported in this range.</td></tr>}
              {machines.map((m) => (
                <Fragment key={m.machine_id}>
                  <tr class="machine-row" data-testid="machine-row" data-machine-id={m.machine_id}>
                    <td><StatusBadge status={m.status} /></td>
                    <td><b>{m.machine_id}</b> <span class="muted small">{m.workers.filter((w) => workerOnline(w, now)).length}/{m.workers.length} workers online</span></td>
                    <td title={m.last_seen ?? ''}>{fmtAgo(m.last_seen, now)}</td>
                    <td />
                    <td />
                    <td class="num"><a href={hrefWith('/jobs', { machine_id: m.machine_id, ...jobsRange })}>{fmtCount(m.jobs)}</a></td>
                    <td class="num">{m.failed > 0 ? <a class="err-text" href={hrefWith('/jobs', { machine_id: m.machine_id, status: 'failed', ...jobsRange })}>{fmtCount(m.failed)}</a> : '0'}</td>
                    <td class={`num${(m.failure_rate ?? 0) > 0.1 ? ' err-text' : ''}`}>{fmtPercent(m.failure_rate)}</td>
                  </tr>
                  {m.workers.map((w) => (
                    <tr key={w.worker_id} class="worker-row" data-testid="worker-row" data-worker-id={w.worker_id}>
                      <td class="indent"><StatusBadge status={w.status || 'unknown'} /></td>
                      <td class="indent mono">{w.worker_id}</td>
                      <td title={w.last_heartbeat ? `last heartbeat ${w.last_heartbeat}` : `last record ${w.last_seen ?? 'never'}`}>{fmtAgo(w.last_heartbeat ?? w.last_seen, now)}</td>
                      <td class="mono">{w.current_job_id ? <a href={`/jobs/${encodeURIComponent(w.current_job_id)}`}>{w.current_job_id}</a> : <span class="muted">idle</span>}</td>
                      <td>{serviceTypes(w)}</td>
                      <td class="num"><a href={hrefWith('/jobs', { worker_id: w.worker_id, ...jobsRange })}>jobs</a></td>
                      <td /><td />
                    </tr>
                  ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

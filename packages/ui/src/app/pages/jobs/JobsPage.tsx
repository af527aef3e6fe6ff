/**
 * The jobs list: filtered by status, service type, model, machine, worker,
 * time range and the search language (all in the URL); windowed rows, each
 * a link to the job's page (GET /api/jobs).
 */
import { useMemo } from 'preact/hooks';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { SearchBox } from '../../components/SearchBox.js';
import { TimeRangePicker } from '../../components/TimeRangePicker.js';
import { VirtualList } from '../../components/VirtualList.js';
import { fmtCount } from '../../format.js';
import { useReady } from '../../ready.js';
import { navigate, useLocation, withParams } from '../../router.js';
import { rangeFrom } from '../../time.js';
import type { JobState } from '../../types.js';
import { useApi } from '../../useApi.js';
import { JobFilters } from './JobFilters.js';
import { JOB_ROW_HEIGHT, JobHeader, JobRow } from './JobRow.js';

const LIMIT = 2000;

export function JobsPage() {
  const loc = useLocation();
  const p = loc.params;
  const range = rangeFrom(p, 'now-24h');
  const params = {
    q: p.get('q') ?? '', status: p.get('status') ?? '', service_type: p.get('service_type') ?? '', model: p.get('model') ?? '',
    machine_id: p.get('machine_id') ?? '', worker_id: p.get('worker_id') ?? '', error_type: p.get('error_type') ?? '',
    from: range.from, to: range.to, limit: LIMIT,
  };
  const jobs = useApi<{ rows: JobState[] }>('/api/jobs', params);
  useReady('jobs', jobs.fresh);
  const rows = jobs.data?.rows ?? [];
  const seenTypes = useMemo(() => [...new Set(rows.map((r) => r.service_type))], [rows]);
  const now = Date.now();

  return (
    <main class="page fill">
      <div class="toolbar">
        <h1>Jobs</h1>
        <SearchBox value={params.q} range={range} placeholder="error_type:memory model:sdxl job_id:job-12*"
          onSubmit={(q) => (q === params.q ? jobs.reload() : navigate(withParams({ q: q || null })))} />
        <TimeRangePicker range={range} />
      </div>
      <JobFilters params={p} range={range} seenServiceTypes={seenTypes} />
      <ErrorBanner error={jobs.error} what="jobs" onRetry={jobs.reload} />
      <div class="list-meta">
        {jobs.data && (rows.length >= LIMIT
          ? <span>the {fmtCount(LIMIT)} most recently active jobs — narrow the filters or the range to see others</span>
          : <span>{fmtCount(rows.length)} job{rows.length === 1 ? '' : 's'}</span>)}
        {jobs.loading && <span class="loading">loading…</span>}
      </div>
      <div class="table-frame fill">
        <JobHeader />
        <VirtualList class="fill" count={rows.length} rowHeight={JOB_ROW_HEIGHT} testid="jobs-list"
          empty={jobs.data ? <p class="empty">No jobs match these filters in this range.</p> : null}
          renderRow={(i) => <JobRow key={`${rows[i]!.dataset}/${rows[i]!.job_id}`} job={rows[i]!} now={now} />} />
      </div>
    </main>
  );
}

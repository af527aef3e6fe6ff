/**
 * "Is my fleet healthy?" — throughput, failure rate, durations, queue wait,
 * jobs in flight, machines and workers online, top error types, over the
 * chosen range (GET /api/overview, GET /api/machines).
 */
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { TimeRangePicker } from '../../components/TimeRangePicker.js';
import { fmtCount, fmtDuration, fmtPercent } from '../../format.js';
import { useReady } from '../../ready.js';
import { useLocation } from '../../router.js';
import { isRelative, rangeFrom } from '../../time.js';
import type { MachinesAnswer, OverviewAnswer } from '../../types.js';
import { useApi } from '../../useApi.js';
import { DurationsTable } from './DurationsTable.js';
import { ErrorsTable } from './ErrorsTable.js';
import { FleetList } from './FleetList.js';
import { JobsChart } from './JobsChart.js';

const REFRESH_MS = 30_000;

function Stat({ label, value, sub, testid, tone }: { label: string; value: string; sub?: string; testid?: string; tone?: string }) {
  return (
    <div class={`stat ${tone ?? ''}`} data-testid={testid}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{value}</div>
      {sub && <div class="stat-sub">{sub}</div>}
    </div>
  );
}

export function OverviewPage() {
  const loc = useLocation();
  const range = rangeFrom(loc.params);
  const params = { from: range.from, to: range.to };
  const refreshMs = isRelative(range) ? REFRESH_MS : undefined;
  const ov = useApi<OverviewAnswer>('/api/overview', params, { refreshMs });
  const ms = useApi<MachinesAnswer>('/api/machines', params, { refreshMs });
  useReady('overview', ov.fresh);
  // Links into the jobs list keep a range chosen here (the default range needs none).
  const extra: Record<string, string> = {};
  if (loc.params.get('from')) extra.from = range.from;
  if (range.to) extra.to = range.to;

  const d = ov.data;
  const t = d?.totals;
  return (
    <main class="page">
      <div class="toolbar">
        <h1>Overview</h1>
        <span class="spacer" />
        {ov.loading && <span class="loading">loading…</span>}
        <TimeRangePicker range={range} />
      </div>
      <ErrorBanner error={ov.error} what="the overview" onRetry={ov.reload} />
      {d && t && (
        <>
          <div class="stats">
            <Stat label="submitted" value={fmtCount(t.submitted)} />
            <Stat label="completed" value={fmtCount(t.completed)} tone="ok" />
            <Stat label="failed" value={fmtCount(t.failed)} tone={t.failed > 0 ? 'bad' : ''} />
            <Stat testid="stat-failure-rate" label="failure rate" value={fmtPercent(t.failureRate)}
              tone={(t.failureRate ?? 0) > 0.1 ? 'bad' : (t.failureRate ?? 0) > 0.02 ? 'warn' : 'ok'} />
            <Stat testid="stat-in-flight" label="in flight" value={fmtCount(t.inFlight)} sub={`${fmtCount(t.queued)} queued`} tone="run" />
            <Stat label="queue wait" value={fmtDuration(d.queueWait.p50)} sub={`p95 ${fmtDuration(d.queueWait.p95)}`} />
            <Stat testid="stat-machines" label="machines online" value={`${d.fleet.machinesOnline} / ${d.fleet.machinesSeen}`}
              sub={`workers ${d.fleet.workersOnline} / ${d.fleet.workersSeen}`}
              tone={d.fleet.machinesOnline < d.fleet.machinesSeen ? 'warn' : 'ok'} />
          </div>
          <JobsChart series={d.series} bucketSeconds={d.bucketSeconds} />
        </>
      )}
      <ErrorBanner error={ms.error} what="the machines" onRetry={ms.reload} />
      <div class="two-col">
        {d && <ErrorsTable errors={d.topErrors} extra={extra} />}
        {ms.data && <FleetList machines={ms.data.machines} />}
      </div>
      {d && <DurationsTable byServiceType={d.durations.byServiceType} byModel={d.durations.byModel} extra={extra} />}
    </main>
  );
}

/** p50/p95 job duration by service type and by model; a row opens the jobs list filtered by it. */
import type { KeyStat } from '../../types.js';
import { fmtCount, fmtDuration } from '../../format.js';
import { hrefWith } from '../../router.js';

function Table({ title, field, rows, extra }: { title: string; field: string; rows: KeyStat[]; extra: Record<string, string> }) {
  return (
    <table class="grid">
      <thead><tr><th>{title}</th><th class="num">jobs</th><th class="num">p50</th><th class="num">p95</th></tr></thead>
      <tbody>
        {rows.length === 0 && <tr><td colSpan={4} class="muted">no finished jobs</td></tr>}
        {rows.map((r) => (
          <tr key={r.key} data-key={r.key}>
            <td><a href={hrefWith('/jobs', { [field]: r.key, ...extra })}>{r.key || '(none)'}</a></td>
            <td class="num">{fmtCount(r.count)}</td>
            <td class="num">{fmtDuration(r.p50)}</td>
            <td class="num">{fmtDuration(r.p95)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DurationsTable({ byServiceType, byModel, extra }: { byServiceType: KeyStat[]; byModel: KeyStat[]; extra: Record<string, string> }) {
  return (
    <section class="panel" data-testid="table-durations">
      <h2>Job duration</h2>
      <div class="two-col">
        <Table title="service type" field="service_type" rows={byServiceType} extra={extra} />
        <Table title="model" field="model" rows={byModel} extra={extra} />
      </div>
    </section>
  );
}

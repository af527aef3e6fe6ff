/** The most frequent error types; a row opens the failed jobs of that type. */
import type { OverviewAnswer } from '../../types.js';
import { fmtCount } from '../../format.js';
import { hrefWith } from '../../router.js';
import { term } from '../../query.js';

export function ErrorsTable({ errors, extra }: { errors: OverviewAnswer['topErrors']; extra: Record<string, string> }) {
  return (
    <section class="panel" data-testid="table-errors">
      <h2>Top error types</h2>
      <table class="grid">
        <thead><tr><th>error type</th><th class="num">jobs</th><th>example</th></tr></thead>
        <tbody>
          {errors.length === 0 && <tr><td colSpan={3} class="muted">no failures in this range</td></tr>}
          {errors.map((e) => (
            <tr key={e.error_type} data-error-type={e.error_type}>
              <td><a class="err-link" href={hrefWith('/jobs', { status: 'failed', q: term('error_type', e.error_type), ...extra })}>{e.error_type || '(none)'}</a></td>
              <td class="num">{fmtCount(e.count)}</td>
              <td class="ellipsis example" title={e.example}>{e.example}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

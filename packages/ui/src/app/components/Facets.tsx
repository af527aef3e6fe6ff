/**
 * Top values of the canonical fields over the matching records; a click adds
 * `field:value` to the query, Alt-click (or the − button) excludes it.
 */
import { fmtCount } from '../format.js';

export const FACET_FIELDS = ['level', 'service_type', 'event_type', 'machine_id', 'model', 'error_type'] as const;

export interface FacetsProps {
  facets: Record<string, { value: string; count: number }[]> | null;
  onPick: (field: string, value: string, exclude: boolean) => void;
}

export function Facets({ facets, onPick }: FacetsProps) {
  return (
    <div class="facets">
      {FACET_FIELDS.map((field) => {
        const values = facets?.[field] ?? [];
        const max = values.reduce((m, v) => Math.max(m, v.count), 1);
        return (
          <section key={field} class="facet" data-testid={`facet-${field}`}>
            <h3>{field}</h3>
            {facets && values.length === 0 && <p class="muted small">no values</p>}
            {values.map((v) => (
              <div class="facet-line" key={v.value}>
                <button type="button" class="facet-value" data-testid="facet-value" data-field={field} data-value={v.value}
                  title={`${field}:${v.value} (Alt-click to exclude)`} onClick={(e) => onPick(field, v.value, e.altKey)}>
                  <span class="facet-bar" style={{ width: `${(v.count / max) * 100}%` }} />
                  <span class="facet-name">{v.value === '' ? '(empty)' : v.value}</span>
                  <span class="facet-count">{fmtCount(v.count)}</span>
                </button>
                <button type="button" class="facet-not" title={`exclude ${field}:${v.value}`} aria-label={`exclude ${v.value}`}
                  onClick={() => onPick(field, v.value, true)}>−</button>
              </div>
            ))}
          </section>
        );
      })}
    </div>
  );
}

/** The jobs list's filters; each writes its URL parameter (so a filtered list is a link). */
import { useEffect, useState } from 'preact/hooks';
import { navigate, withParams } from '../../router.js';
import { useApi } from '../../useApi.js';
import type { Range } from '../../time.js';
import type { ValuesAnswer } from '../../types.js';
// Every status a job state can have: the server's own list (pending and unworkable included).
import { JOB_STATUSES } from '@jobscope/core/canonical';
const KNOWN_SERVICE_TYPES = ['comfyui', 'openai', 'a1111', 'simulation', 'rest'];

function TextFilter({ name, label, value, testid }: { name: string; label: string; value: string; testid: string }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  return (
    <label class="filter">
      <span>{label}</span>
      <input data-testid={testid} value={text} placeholder="any" spellcheck={false}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => navigate(withParams({ [name]: e.currentTarget.value.trim() || null }))} />
    </label>
  );
}

export function JobFilters({ params, range, seenServiceTypes }: { params: URLSearchParams; range: Range; seenServiceTypes: string[] }) {
  const status = params.get('status') ?? '';
  const serviceType = params.get('service_type') ?? '';
  const values = useApi<ValuesAnswer>('/api/values', { field: 'service_type', from: range.from, to: range.to });
  const types = [...new Set([...(values.data?.values.map((v) => v.value) ?? KNOWN_SERVICE_TYPES), ...seenServiceTypes, ...(serviceType ? [serviceType] : [])])]
    .filter(Boolean).sort();
  return (
    <div class="filters">
      <label class="filter">
        <span>status</span>
        <select data-testid="filter-status" value={status} onChange={(e) => navigate(withParams({ status: e.currentTarget.value || null }))}>
          <option value="">any</option>
          {JOB_STATUSES.map((s) => <option key={s} value={s} data-testid="filter-status-option">{s.replace('_', ' ')}</option>)}
          {status && !(JOB_STATUSES as readonly string[]).includes(status) && <option value={status}>{status}</option>}
        </select>
      </label>
      <label class="filter">
        <span>service type</span>
        <select data-testid="filter-service-type" value={serviceType} onChange={(e) => navigate(withParams({ service_type: e.currentTarget.value || null }))}>
          <option value="">any</option>
          {types.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <TextFilter name="model" label="model" value={params.get('model') ?? ''} testid="filter-model" />
      <TextFilter name="machine_id" label="machine" value={params.get('machine_id') ?? ''} testid="filter-machine" />
      <TextFilter name="worker_id" label="worker" value={params.get('worker_id') ?? ''} testid="filter-worker" />
    </div>
  );
}

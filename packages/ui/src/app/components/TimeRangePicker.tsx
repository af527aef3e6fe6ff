/**
 * Presets (15m … 7d) and a custom from/to; writes `from`/`to` into the URL
 * so the range is part of the shareable link.
 */
import { useState } from 'preact/hooks';
import { navigate, withParams } from '../router.js';
import { PRESETS, rangeLabel, resolveRange, toLocalInput, type Range } from '../time.js';

export function TimeRangePicker({ range }: { range: Range }) {
  const [custom, setCustom] = useState(false);
  const active = PRESETS.find((p) => p.from === range.from && !range.to);
  return (
    <div class="time-range" data-testid="time-range">
      <div class="seg" role="group" aria-label="Time range">
        {PRESETS.map((p) => (
          <button
            key={p.label}
            type="button"
            class={`seg-btn${active?.label === p.label ? ' on' : ''}`}
            data-range={p.from}
            title={`last ${p.label}`}
            onClick={() => { setCustom(false); navigate(withParams({ from: p.from, to: null })); }}
          >
            {p.label}
          </button>
        ))}
        <button type="button" class={`seg-btn${!active ? ' on' : ''}`} data-range="custom" onClick={() => setCustom(!custom)}
          title={active ? 'custom range' : rangeLabel(range)}>
          {active ? 'custom' : rangeLabel(range)}
        </button>
      </div>
      {custom && <CustomRange range={range} onDone={() => setCustom(false)} />}
    </div>
  );
}

function CustomRange({ range, onDone }: { range: Range; onDone: () => void }) {
  const { fromMs, toMs } = resolveRange(range);
  const [from, setFrom] = useState(toLocalInput(fromMs));
  const [to, setTo] = useState(toLocalInput(toMs));
  const [err, setErr] = useState('');
  const apply = (e: Event) => {
    e.preventDefault();
    const f = Date.parse(from);
    const t = to ? Date.parse(to) : NaN;
    if (!Number.isFinite(f)) return setErr('from is not a date');
    if (to && !Number.isFinite(t)) return setErr('to is not a date');
    if (Number.isFinite(t) && t <= f) return setErr('from must be before to');
    navigate(withParams({ from: new Date(f).toISOString(), to: Number.isFinite(t) ? new Date(t).toISOString() : null }));
    onDone();
  };
  return (
    <form class="custom-range" onSubmit={apply}>
      <label>from <input type="datetime-local" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
      <label>to <input type="datetime-local" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
      <button type="submit" class="btn small primary">Apply</button>
      {err && <span class="field-error">{err}</span>}
    </form>
  );
}

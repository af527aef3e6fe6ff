/**
 * Log volume over the range, stacked by level (GET /api/stats?by=level),
 * as uPlot bars. uPlot does not stack: each series is drawn as the running
 * sum, the tallest first, and the legend shows each level's own count.
 * Dragging across the chart narrows the range.
 */
import { useMemo, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import { AXIS, bars, Chart } from '../../components/Chart.js';
import { fmtCount } from '../../format.js';
import type { StatsAnswer } from '../../types.js';

const ORDER = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
const COLOR: Record<string, string> = {
  fatal: '#7f1d1d', error: '#dc2626', warn: '#f59e0b', info: '#60a5fa', debug: '#9ca3af', trace: '#d1d5db',
};
const NICE = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A bucket size giving about 80 bars over the range. */
export function volumeInterval(spanMs: number): string {
  const want = spanMs / 1000 / 80;
  return `${NICE.find((n) => n >= want) ?? 86400}s`;
}

export function VolumeChart({ stats, onSelectRange }: { stats: StatsAnswer; onSelectRange: (fromSec: number, toSec: number) => void }) {
  const { data, levels, raw, totals } = useMemo(() => {
    const levels = [...stats.keys].sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
    const times = [...new Set(stats.buckets.map((b) => Date.parse(b.time) / 1000))].sort((a, b) => a - b);
    const at = new Map(times.map((t, i) => [t, i]));
    const raw = levels.map(() => new Array<number>(times.length).fill(0));
    for (const b of stats.buckets) {
      const li = levels.indexOf(b.key);
      const ti = at.get(Date.parse(b.time) / 1000);
      if (li >= 0 && ti !== undefined) raw[li]![ti] = b.count;
    }
    const totals = raw.map((r) => r.reduce((a, b) => a + b, 0));
    // Running sums bottom-up, then drawn top-down so each level shows as its own band.
    const cum: number[][] = [];
    raw.forEach((r, i) => cum.push(r.map((v, j) => v + (i > 0 ? cum[i - 1]![j]! : 0))));
    const data: uPlot.AlignedData = [times, ...cum.slice().reverse()];
    return { data, levels, raw, totals };
  }, [stats]);

  // The chart keeps its options while the levels stay the same: the legend reads the latest counts here.
  const bounds = { from: Date.parse(stats.from ?? '') / 1000, to: Date.parse(stats.to ?? '') / 1000 };
  const latest = useRef({ raw, totals, bounds });
  latest.current = { raw, totals, bounds };
  const drawn = levels.slice().reverse();
  const options = () => ({
    // The whole range searched, not just where the data is.
    scales: { x: { time: true, range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => {
      const b = latest.current.bounds;
      return Number.isFinite(b.from) && Number.isFinite(b.to) ? [b.from, b.to] : [min, max];
    } }, y: { range: (_u: uPlot, _a: number, max: number): uPlot.Range.MinMax => [0, Math.max(1, max * 1.05)] } },
    axes: [{ ...AXIS }, { ...AXIS, size: 56, space: 16 }],
    cursor: { drag: { x: true, y: false }, points: { show: false } },
    legend: { live: true },
    series: [
      { label: 'time' },
      ...drawn.map((lvl) => {
        const li = levels.indexOf(lvl);
        return {
          label: lvl,
          stroke: COLOR[lvl] ?? '#a78bfa',
          fill: COLOR[lvl] ?? '#a78bfa',
          width: 0,
          paths: bars(),
          points: { show: false },
          value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) =>
            idx === null || idx === undefined ? fmtCount(latest.current.totals[li]) : fmtCount(latest.current.raw[li]?.[idx] ?? 0),
        };
      }),
    ],
  });
  return (
    <div class="chart-box volume">
      <Chart testid="volume-chart" shape={`vol:${levels.join(',')}`} options={options} data={data} height={110} onSelectRange={onSelectRange} />
    </div>
  );
}

/** Jobs per bucket: submitted, completed, failed (uPlot); drag to zoom the page's range. */
import { useMemo, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import { AXIS, Chart } from '../../components/Chart.js';
import { fmtCount } from '../../format.js';
import { navigate, withParams } from '../../router.js';
import type { OverviewAnswer } from '../../types.js';

const SERIES = [
  { key: 'submitted', label: 'submitted', color: '#64748b' },
  { key: 'completed', label: 'completed', color: '#16a34a' },
  { key: 'failed', label: 'failed', color: '#dc2626' },
] as const;

export function JobsChart({ series, bucketSeconds }: { series: OverviewAnswer['series']; bucketSeconds: number }) {
  const data = useMemo<uPlot.AlignedData>(() => [
    series.map((p) => Date.parse(p.time) / 1000),
    ...SERIES.map((s) => series.map((p) => p[s.key])),
  ], [series]);
  // Without the cursor on the chart, the legend shows each series' total over the range.
  const totals = useRef<number[]>([]);
  totals.current = SERIES.map((s) => series.reduce((n, p) => n + p[s.key], 0));
  const options = () => ({
    scales: { x: { time: true }, y: { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(1, max * 1.1)] } },
    axes: [{ ...AXIS }, { ...AXIS, size: 56 }],
    cursor: { drag: { x: true, y: false } },
    series: [
      { label: 'time' },
      ...SERIES.map((s, i) => ({
        label: s.label, stroke: s.color, width: 1.5, fill: s.key === 'failed' ? 'rgba(220,38,38,0.08)' : undefined, points: { show: false },
        value: (_u: uPlot, v: number | null, _si: number, idx: number | null) => (idx === null ? `${fmtCount(totals.current[i])} total` : fmtCount(v)),
      })),
    ],
  });
  return (
    <div class="chart-box">
      <div class="chart-title">Jobs per {bucketSeconds >= 60 ? `${Math.round(bucketSeconds / 60)} min` : `${bucketSeconds} s`}</div>
      <Chart testid="chart-jobs" shape="jobs" options={options} data={data} height={200}
        onSelectRange={(a, b) => navigate(withParams({ from: new Date(a * 1000).toISOString(), to: new Date(b * 1000).toISOString() }))} />
    </div>
  );
}

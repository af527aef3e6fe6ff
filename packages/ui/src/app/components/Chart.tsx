/**
 * A uPlot time series chart: created once per `shape` (series layout),
 * fed new data with setData, resized with its container.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartProps {
  /** Builds the options (without width/height). */
  options: () => Omit<uPlot.Options, 'width' | 'height'>;
  /** Changes when the options' series layout changes: the chart is rebuilt. */
  shape: string;
  data: uPlot.AlignedData;
  height: number;
  testid?: string;
  /** Drag-selecting a time span on the chart (seconds). */
  onSelectRange?: (fromSec: number, toSec: number) => void;
}

export function Chart({ options, shape, data, height, testid, onSelectRange }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const select = useRef(onSelectRange);
  select.current = onSelectRange;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const base = options();
    const opts: uPlot.Options = {
      ...base,
      width: Math.max(200, el.clientWidth),
      height,
      hooks: {
        ...base.hooks,
        setSelect: [
          (u: uPlot) => {
            if (!select.current || u.select.width < 4) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            select.current(a, b);
          },
        ],
      },
    };
    const u = new uPlot(opts, data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div class="chart" ref={box} data-testid={testid} />;
}

/** Bars for uPlot series. */
export function bars(): uPlot.Series.PathBuilder {
  // Buckets are labelled by their start: bars stand to the right of it.
  return uPlot.paths.bars!({ size: [0.85, 60], align: 1 });
}

export const AXIS = {
  stroke: '#6b7280',
  grid: { stroke: '#eef0f3', width: 1 },
  ticks: { stroke: '#e5e7eb', width: 1 },
  font: '11px system-ui, sans-serif',
};

/**
 * Fixed-row-height windowing: only the rows in view (plus a margin) are in
 * the DOM, so a list of 100,000 rows costs as much as one of 50. The list
 * fills its container (give the container a height) or `maxHeight`.
 */
import type { ComponentChildren, Ref } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps {
  /** Number of rows; rows are drawn on demand by index, so they need not all be in memory. */
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ComponentChildren;
  /** Called with the first and last visible indexes after each scroll or resize. */
  onRange?: (first: number, last: number) => void;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  /** Caps the height: the list shrinks to its rows below it. */
  maxHeight?: number;
  class?: string;
  testid?: string;
  /** The scrolling element, for callers that adjust scrollTop (anchoring). */
  scrollRef?: Ref<HTMLDivElement>;
  empty?: ComponentChildren;
  /** Up to this many rows, all are drawn (short lists need no windowing, and find-in-page sees them). */
  drawAllUpTo?: number;
}

export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, renderRow, onRange, overscan = 8, maxHeight } = props;
  const own = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(maxHeight ?? 600);

  const setRefs = (el: HTMLDivElement | null) => {
    own.current = el;
    const r = props.scrollRef;
    if (typeof r === 'function') r(el);
    else if (r) r.current = el;
  };

  useLayoutEffect(() => {
    const el = own.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || maxHeight || 600));
    ro.observe(el);
    setHeight(el.clientHeight || maxHeight || 600);
    return () => ro.disconnect();
  }, [maxHeight]);

  const total = count * rowHeight;
  // A list shortened under the scroll position snaps back into range.
  const top = Math.max(0, Math.min(scrollTop, total - height));
  const all = count <= (props.drawAllUpTo ?? 0);
  const first = all ? 0 : Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = all ? count : Math.min(count, Math.ceil((top + height) / rowHeight) + overscan);

  useEffect(() => {
    if (onRange && count > 0) {
      onRange(Math.floor(top / rowHeight), Math.min(count - 1, Math.ceil((top + height) / rowHeight)));
    }
  }, [top, height, count, rowHeight]);

  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i));

  const style = maxHeight !== undefined ? { maxHeight: `${maxHeight}px`, height: `${Math.min(maxHeight, total + 2)}px` } : undefined;
  return (
    <div class={`vlist ${props.class ?? ''}`} style={style} ref={setRefs} data-testid={props.testid}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      {count === 0 && props.empty}
      <div class="vlist-space" style={{ height: `${total}px` }}>
        <div class="vlist-rows" style={{ transform: `translateY(${first * rowHeight}px)` }}>{rows}</div>
      </div>
    </div>
  );
}

import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ThreadItem } from './CommentsController';

/** Below this many cards every card is rendered: windowing pays off only on long lists. */
export const WINDOWED_FROM = 30;
/** Cards rendered beyond each edge of the side panel's view, for smooth scrolling and Tab. */
const OVERSCAN = 4;
/** A collapsed card with a comment or two, before it is measured. */
const ESTIMATED_CARD_PX = 190;

interface Props {
  items: ThreadItem[];
  /** The card to bring into view (a highlight in the text was clicked), if any. */
  revealKey: string | null;
  renderCard(item: ThreadItem): ReactNode;
  testId: string;
}

/** The side panel's scroll container, when it scrolls on its own (wide layouts); null when the page scrolls. */
function scrollingPanel(list: HTMLElement | null): HTMLElement | null {
  const panel = list?.closest<HTMLElement>('.workspace__side') ?? null;
  if (!panel) return null;
  const overflow = getComputedStyle(panel).overflowY;
  return overflow === 'auto' || overflow === 'scroll' ? panel : null;
}

/**
 * The thread cards in text order. A long agreement has dozens of threads, thousands of nodes
 * the browser styles, lays out and checks every frame; when the side panel scrolls on its own,
 * only the cards in and near its view are rendered (@tanstack/react-virtual), each measured
 * once shown. A card that is asked for (its highlight clicked) is scrolled to and rendered first.
 */
export function ThreadList({ items, revealKey, renderCard, testId }: Props) {
  const listRef = useRef<HTMLDivElement>(null);
  const [panel, setPanel] = useState<HTMLElement | null>(null);
  const [offset, setOffset] = useState(0);
  const windowed = panel !== null && items.length >= WINDOWED_FROM;

  useLayoutEffect(() => {
    const found = scrollingPanel(listRef.current);
    setPanel(found);
    if (!found || !listRef.current) return;
    // Where the list starts inside the panel: the panels above it grow and shrink. Measured when
    // the observer reports (after layout), never forcing a layout of the page while it loads.
    const measure = () => {
      const list = listRef.current;
      if (list) setOffset(list.getBoundingClientRect().top - found.getBoundingClientRect().top + found.scrollTop);
    };
    const observer = new ResizeObserver(measure);
    for (const child of Array.from(found.children)) observer.observe(child);
    return () => observer.disconnect();
  }, []);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => panel,
    estimateSize: () => ESTIMATED_CARD_PX,
    getItemKey: (index) => items[index].key,
    overscan: OVERSCAN,
    scrollMargin: offset,
    enabled: windowed,
  });

  useLayoutEffect(() => {
    if (!windowed || !revealKey) return;
    const index = items.findIndex((item) => item.key === revealKey);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
  }, [windowed, revealKey]);

  if (!windowed) {
    return (
      <div className="threads__list" data-testid={testId} ref={listRef}>
        {items.map(renderCard)}
      </div>
    );
  }
  const shown = virtualizer.getVirtualItems();
  const before = shown.length > 0 ? shown[0].start - offset : 0;
  const after = shown.length > 0 ? virtualizer.getTotalSize() - (shown[shown.length - 1].end - offset) : 0;
  return (
    <div className="threads__list threads__list--windowed" data-testid={testId} data-windowed="true" ref={listRef}>
      <div style={{ height: before }} aria-hidden="true" />
      {shown.map((row) => (
        <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="threads__row">
          {renderCard(items[row.index])}
        </div>
      ))}
      <div style={{ height: after }} aria-hidden="true" />
    </div>
  );
}

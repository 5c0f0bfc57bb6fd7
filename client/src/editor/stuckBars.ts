// The editor's toolbar stays stuck over the text as it scrolls, just below the agreement's header
// (its `top` in editor.css counts the header's height, which is 0 on a phone, where the header
// scrolls away). Where its stuck bottom edge sits is where hidden text ends.

/** The latest measure, kept by `keepScrollPaddingUnderBars`: read on every keystroke, so never measured there. */
let covered = 0;

/** How far down the window the stuck bars reach, in px: text above this line is hidden behind them. */
export function coveredTop(): number {
  return covered;
}

function measure(toolbar: HTMLElement): number {
  const style = getComputedStyle(toolbar);
  if (style.position !== 'sticky' && style.position !== 'fixed') return 0;
  return (parseFloat(style.top) || 0) + toolbar.offsetHeight;
}

/**
 * Keeps `coveredTop()` and the window's `scroll-padding-top` up to date, so what the browser
 * scrolls to by itself (the caret moved with the arrow keys, a heading jumped to) lands below the
 * bars, not under them. The toolbar changes height when it wraps, and its `top` when the window
 * crosses the phone layout. Returns a stop function.
 */
export function keepScrollPaddingUnderBars(toolbar: HTMLElement | null): () => void {
  const root = document.documentElement;
  if (!toolbar) return () => {};
  const update = () => {
    covered = measure(toolbar);
    root.style.scrollPaddingTop = `${covered}px`;
  };
  // It calls back once as soon as the toolbar is laid out, so nothing here forces a layout while
  // the agreement loads.
  const observer = new ResizeObserver(update);
  observer.observe(toolbar);
  addEventListener('resize', update);
  return () => {
    observer.disconnect();
    removeEventListener('resize', update);
    root.style.removeProperty('scroll-padding-top');
    covered = 0;
  };
}

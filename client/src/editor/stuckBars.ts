/** The bars that stay stuck over the text as it scrolls: the agreement's header and the editor's toolbar. */
const BARS = '.topbar--agreement, .editor > .toolbar';

function stuckBars(): { bar: HTMLElement; style: CSSStyleDeclaration }[] {
  return [...document.querySelectorAll<HTMLElement>(BARS)]
    .map((bar) => ({ bar, style: getComputedStyle(bar) }))
    .filter(({ style }) => style.position === 'sticky' || style.position === 'fixed');
}

/**
 * How far down the window those bars reach once stuck, in px: text above this line is hidden
 * behind them. 0 where none is stuck (on a phone the header scrolls away, the toolbar stays).
 */
export function coveredTop(): number {
  let covered = 0;
  for (const { bar, style } of stuckBars()) covered = Math.max(covered, (parseFloat(style.top) || 0) + bar.offsetHeight);
  return covered;
}

/**
 * Keeps the window's `scroll-padding-top` at `coveredTop()`, so what the browser scrolls to by
 * itself (the caret moved with the arrow keys, a heading jumped to) lands below the bars, not
 * under them. The bars change height when they wrap on a narrower window. Returns a stop function.
 */
export function keepScrollPaddingUnderBars(): () => void {
  const root = document.documentElement;
  const update = () => {
    root.style.scrollPaddingTop = `${coveredTop()}px`;
  };
  // It calls back once for each bar as soon as the bars are laid out, so nothing here forces a
  // layout while the agreement loads.
  const observer = new ResizeObserver(update);
  for (const bar of document.querySelectorAll(BARS)) observer.observe(bar);
  // Which bars are sticky depends on the window's width (the header scrolls away on a phone).
  addEventListener('resize', update);
  return () => {
    observer.disconnect();
    removeEventListener('resize', update);
    root.style.removeProperty('scroll-padding-top');
  };
}

import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

/**
 * How far beyond the window an objective's form controls are made: two windows' height above and
 * below, so a person scrolling meets them made. Until then the block shows stand-ins (ObjectiveStandIns.tsx).
 *
 * Why: Chromium's autofill reads every form field of the page each time fields are added or changed.
 * A 60-page agreement's thirty objectives hold 150 or more fields, and opening it cost 140 to 320 ms of
 * the main thread in autofill's tasks (up to 170 ms each, just after the text showed, where a person's
 * first keystroke lands); with only the objectives near the screen made, 10 to 20 ms (bench/README.md).
 */
const MARGIN = '200% 0px';

/** Objectives whose controls this page has made: a block drawn again (replaced by a remote change) makes them at once. */
const madeOnce = new Set<string>();
const waking = new Map<Element, () => void>();
let observer: IntersectionObserver | null = null;

function watch(target: Element, wake: () => void): () => void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const wakeIt = entry.isIntersecting ? waking.get(entry.target) : undefined;
        if (!wakeIt) continue;
        unwatch(entry.target);
        wakeIt();
      }
    },
    { rootMargin: MARGIN },
  );
  waking.set(target, wake);
  observer.observe(target);
  return () => unwatch(target);
}

function unwatch(target: Element) {
  if (waking.delete(target)) observer?.unobserve(target);
}

/**
 * Whether an objective's controls are made, and what makes them at once (a stand-in focused by the
 * keyboard or a screen reader). `block` is the objective's element; what is observed is the top-level
 * element holding it: the editor skips the layout of off-screen blocks' contents (`content-visibility:
 * auto`, editor.css), and an element inside a skipped block reports no intersection until the block is
 * laid out, which would shrink the margin to the browser's own.
 */
export function useControlsNearScreen(objectiveId: string, block: RefObject<HTMLElement | null>): { made: boolean; makeNow: () => void } {
  const [made, setMade] = useState(() => typeof IntersectionObserver === 'undefined' || madeOnce.has(objectiveId));
  const makeNow = useCallback(() => {
    if (objectiveId) madeOnce.add(objectiveId);
    setMade(true);
  }, [objectiveId]);
  useLayoutEffect(() => {
    const element = block.current;
    if (made || !element) return;
    return watch(element.parentElement ?? element, makeNow);
  }, [made, makeNow, block]);
  return { made, makeNow };
}

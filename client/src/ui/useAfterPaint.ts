import { startTransition, useEffect, useState } from 'react';

/**
 * True from the task after the first frame painted once `ready` holds. What renders behind it
 * (the side panels) stays out of the task that creates the editor and out of its first frame,
 * and renders as a transition, which React may split into several short tasks.
 */
export function useAfterPaint(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!ready || painted) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = () => startTransition(() => setPainted(true));
    // A hidden tab draws no frames: a timer then.
    const frame = document.hidden ? undefined : requestAnimationFrame(() => (timer = setTimeout(show, 0)));
    if (frame === undefined) timer = setTimeout(show, 0);
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [ready, painted]);
  return painted;
}

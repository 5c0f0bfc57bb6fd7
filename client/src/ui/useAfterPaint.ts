import { startTransition, useEffect, useState } from 'react';
import { afterNextFrame } from './afterNextFrame';

/**
 * True from the task after the first frame painted once `ready` holds. What renders behind it
 * (the side panels) stays out of the task that creates the editor and out of its first frame,
 * and renders as a transition, which React may split into several short tasks.
 */
export function useAfterPaint(ready: boolean): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    if (!ready || painted) return;
    return afterNextFrame(() => startTransition(() => setPainted(true)));
  }, [ready, painted]);
  return painted;
}

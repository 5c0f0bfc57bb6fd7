// Where a keystroke's time goes (recorded by instrument.js), each part in ms from the keydown's
// timestamp: when its keydown was handled (it waited behind other work until then), when its input
// event was over (the browser's insertion and the editor's handling), when the frame that draws it
// started, and when that frame ended.
import { median } from './report';

export interface KeyParts {
  queued: number;
  handled: number | null;
  frameStart: number | null;
  end: number;
}

/** Medians of each step's length: waiting for the keydown, handling it, waiting for the frame, the frame. */
export function describeKeyParts(parts: KeyParts[]): string {
  const whole = parts.filter((p): p is KeyParts & { handled: number; frameStart: number } => p.handled !== null && p.frameStart !== null);
  const step = (f: (p: (typeof whole)[number]) => number) => median(whole.map(f)).toFixed(1);
  return (
    `keystroke's steps, medians of ${whole.length} (ms): queued ${step((p) => p.queued)}, handled ${step((p) => p.handled - p.queued)}, ` +
    `waiting for the frame ${step((p) => p.frameStart - p.handled)}, the frame ${step((p) => p.end - p.frameStart)}; whole ${step((p) => p.end)}`
  );
}

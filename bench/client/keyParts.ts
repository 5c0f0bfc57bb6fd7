// Where a keystroke's time goes (recorded by instrument.js), each part in ms from the keydown's
// timestamp: when its keydown was handled (it waited behind other work until then), when its input
// event was over (the browser's insertion and the editor's handling), when the frame that draws it
// started, and when that frame ended.
import { median, type KeySteps } from './report';

export interface KeyParts {
  queued: number;
  handled: number | null;
  frameStart: number | null;
  end: number;
}

/** One run's medians of each step's length: waiting for the keydown, handling it, waiting for the frame, the frame. */
export function keySteps(parts: KeyParts[]): KeySteps {
  const whole = parts.filter((p): p is KeyParts & { handled: number; frameStart: number } => p.handled !== null && p.frameStart !== null);
  const step = (f: (p: (typeof whole)[number]) => number) => median(whole.map(f));
  return {
    keystrokes: whole.length,
    queued: step((p) => p.queued),
    handled: step((p) => p.handled - p.queued),
    waitingForFrame: step((p) => p.frameStart - p.handled),
    frame: step((p) => p.end - p.frameStart),
  };
}

export function describeKeySteps(steps: KeySteps): string {
  const ms = (v: number) => v.toFixed(1);
  return (
    `keystroke's steps, medians of ${steps.keystrokes} (ms): queued ${ms(steps.queued)}, handled ${ms(steps.handled)}, ` +
    `waiting for the frame ${ms(steps.waitingForFrame)}, the frame ${ms(steps.frame)}`
  );
}

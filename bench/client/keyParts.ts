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

type WholeParts = KeyParts & { handled: number; frameStart: number };

function wholeParts(parts: KeyParts[]): WholeParts[] {
  return parts.filter((p): p is WholeParts => p.handled !== null && p.frameStart !== null);
}

/** One run's medians of each step's length: waiting for the keydown, handling it, waiting for the frame, the frame. */
export function keySteps(parts: KeyParts[]): KeySteps {
  return stepMedians(wholeParts(parts));
}

/**
 * The same medians over the slowest tenth of the keystrokes only: the p95 is made there, and which
 * step grows in it (queued behind others' work, the handling, the wait for a frame, the frame) says
 * what to shorten.
 */
export function slowestTenthSteps(parts: KeyParts[]): KeySteps {
  const whole = wholeParts(parts).sort((a, b) => b.end - a.end);
  return stepMedians(whole.slice(0, Math.max(1, Math.ceil(whole.length / 10))));
}

function stepMedians(whole: WholeParts[]): KeySteps {
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

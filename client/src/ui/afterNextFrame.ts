/** Longest wait for a frame: a hidden tab draws none, and the work must still happen. */
const FALLBACK_MS = 100;

/**
 * Runs `fn` in a task just after the next frame is drawn, so work nobody sees in that frame
 * (toolbar states, this device's copy of the text) stays out of the task that handles a keystroke
 * and out of the frame that shows it. Returns a function that cancels it.
 */
export function afterNextFrame(fn: () => void, fallbackMs = FALLBACK_MS): () => void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    cancelAnimationFrame(frame);
    fn();
  };
  const timer = setTimeout(run, fallbackMs);
  // A message posted from the frame's callback is handled once the frame's style, layout and paint are done.
  const frame = requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      run();
    };
    channel.port2.postMessage(null);
  });
  return () => {
    done = true;
    clearTimeout(timer);
    cancelAnimationFrame(frame);
  };
}

/**
 * Coalesces calls to `fn` into one run after the next frame. `flush()` runs a pending call now
 * (before the page goes away), `cancel()` drops it.
 */
export function coalesceAfterFrame(fn: () => void): { schedule(): void; flush(): void; cancel(): void } {
  let cancel: (() => void) | null = null;
  const run = () => {
    cancel = null;
    fn();
  };
  return {
    schedule() {
      cancel ??= afterNextFrame(run);
    },
    flush() {
      if (cancel === null) return;
      cancel();
      run();
    },
    cancel() {
      cancel?.();
      cancel = null;
    },
  };
}

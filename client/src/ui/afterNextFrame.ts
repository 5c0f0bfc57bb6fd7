/** Longest wait for a frame: a hidden tab draws none, and the work must still happen. */
const FALLBACK_MS = 100;

interface Waiting {
  fn: () => void;
  cancelled: boolean;
}

// Everything waiting for the end of the same frame shares one frame callback and one task: a
// keystroke schedules several such jobs (toolbar, badge, local copy), and each frame callback
// and posted message is work in the frame or the task after it.
let queue: Waiting[] = [];
let frame: number | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let channel: MessageChannel | null = null;

function runWaiting(): void {
  if (frame !== null) cancelAnimationFrame(frame);
  if (timer !== null) clearTimeout(timer);
  frame = timer = null;
  const due = queue;
  queue = [];
  for (const job of due) if (!job.cancelled) job.fn();
}

function portToNextTask(): MessagePort {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = runWaiting;
  }
  return channel.port2;
}

/**
 * Runs `fn` in a task just after the next frame is drawn, so work nobody sees in that frame
 * (toolbar states, this device's copy of the text) stays out of the task that handles a keystroke
 * and out of the frame that shows it. Returns a function that cancels it.
 */
export function afterNextFrame(fn: () => void): () => void {
  const job: Waiting = { fn, cancelled: false };
  queue.push(job);
  // A message posted from the frame's callback is handled once the frame's style, layout and paint are done.
  frame ??= requestAnimationFrame(() => {
    frame = null;
    portToNextTask().postMessage(null);
  });
  timer ??= setTimeout(runWaiting, FALLBACK_MS);
  return () => {
    job.cancelled = true;
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

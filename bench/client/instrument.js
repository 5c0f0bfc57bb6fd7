// Loaded into the page before the app (playwright addInitScript({ path })), as plain
// JavaScript so no compiler helper leaks into the page. Records each keystroke's delay from
// its event timestamp to the end of the next frame, long tasks, and when the paragraphs
// other people type into change on screen.
(() => {
  const bench = { keys: [], longTasks: [], remote: {}, watch: null, firstTextAt: null, sockets: [] };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });

  // A task queued now runs once the current task is over: after the frame's style, layout and
  // paint when the current task is drawing a frame.
  const afterThisTask = (done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done(performance.now());
    channel.port2.postMessage(0);
  };
  // Whether a frame is being drawn now (its animation-frame callbacks ran and its rendering has
  // not finished). The app applies other people's changes in an animation-frame callback, and they
  // show in that very frame; a callback requested from there would only run in the frame after.
  let drawing = false;
  // Waiting for the end of the frame being drawn. The frame's first animation-frame callback queues
  // the task that ends it, before any callback of the page queues its own work for after the frame
  // (until 2026-11-30 that work, which delays nothing on screen, was counted too: about 0.3 ms).
  let atFrameEnd = [];
  const frameStarts = () => {
    if (drawing) return;
    drawing = true;
    afterThisTask((at) => {
      drawing = false;
      const waiting = atFrameEnd;
      atFrameEnd = [];
      for (const done of waiting) done(at);
    });
  };
  const request = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    request((time) => {
      frameStarts();
      callback(time);
    });
  // The end of the next frame: its style, layout and paint are done.
  const afterNextFrame = (done) =>
    request(() => {
      frameStarts();
      atFrameEnd.push(done);
    });
  // The end of the frame that shows a change made now: this one if it is being drawn, else the next.
  const afterFrameShowing = (done) => (drawing ? atFrameEnd.push(done) : afterNextFrame(done));

  // The first screen of text painted: the end of the first frame after the editor holds a few blocks.
  const firstText = new MutationObserver(() => {
    const editor = document.querySelector('.ProseMirror');
    if (!editor || editor.childElementCount < 5) return;
    firstText.disconnect();
    afterNextFrame((at) => (bench.firstTextAt = at));
  });
  firstText.observe(document, { subtree: true, childList: true });

  // Each websocket as the page sees it: made, open, first message handled, closed (loadTimeline.ts prints them).
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      const seen = { room: String(args[0]).split('/').pop(), created: performance.now(), open: null, firstMessage: null, large: [], closed: null };
      bench.sockets.push(seen);
      this.addEventListener('open', () => (seen.open = performance.now()), { once: true });
      this.addEventListener('message', () => (seen.firstMessage = performance.now()), { once: true });
      // Messages of 4 KB and more, as handled (the text's copy, a long reconnect's answer).
      this.addEventListener('message', ({ data }) => {
        const bytes = typeof data === 'string' ? data.length : (data.byteLength ?? data.size ?? 0);
        if (bytes >= 4096) seen.large.push({ at: performance.now(), bytes });
      });
      this.addEventListener('close', (event) => (seen.closed = { at: performance.now(), code: event.code, reason: event.reason }), { once: true });
    }
  };

  // Where each keystroke's time goes, from its timestamp: until its keydown is handled (queued
  // behind other work), until its input event is over (the browser's insertion and the editor's
  // own handling), until the frame that draws it starts, and until that frame ends.
  bench.keyParts = [];
  let typed = null;
  document.addEventListener(
    'keydown',
    (event) => {
      const start = event.timeStamp;
      const parts = { start, queued: performance.now() - start, handled: null, frameStart: null, end: null };
      typed = parts;
      afterNextFrame((at) => {
        bench.keys.push(at - start);
        parts.end = at - start;
        bench.keyParts.push(parts);
      });
      request(() => (parts.frameStart = performance.now() - start));
    },
    true,
  );
  // Listened on window in the bubbling phase: after the editor's own input handling.
  window.addEventListener('input', () => {
    if (typed && typed.handled === null) typed.handled = performance.now() - typed.start;
  });

  bench.watch = (marks) => {
    const root = document.querySelector('.ProseMirror');
    const found = new Map();
    // Other people's caret labels sit inside the text: leave them out.
    const textOf = (el) => {
      let text = '';
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!n.parentElement.closest('.collaboration-carets__caret')) text += n.data;
      return text;
    };
    const find = (mark) => {
      const known = found.get(mark);
      if (known && known.isConnected) return known;
      for (const p of root.querySelectorAll('p')) {
        if (p.textContent.startsWith(mark)) {
          found.set(mark, p);
          return p;
        }
      }
      return null;
    };
    for (const mark of marks) bench.remote[mark] = [];
    let pending = false;
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      afterFrameShowing(() => {
        pending = false;
        const at = performance.timeOrigin + performance.now();
        for (const mark of marks) {
          const el = find(mark);
          if (!el) continue;
          const length = textOf(el).length;
          const seen = bench.remote[mark];
          if (seen.length === 0 || seen[seen.length - 1].length !== length) seen.push({ length, at });
        }
      });
    }).observe(root, { subtree: true, characterData: true, childList: true });
  };
})();

import { Extension } from '@tiptap/core';
import { Plugin } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/** ProseMirror's own scroll into view; internal to prosemirror-view, so typed here. */
interface ScrollingView extends EditorView {
  scrollToSelection(): void;
}

export interface ScrollCaretOptions {
  /** How far down the window what stays stuck at its top (header, toolbar) reaches, in px; read on every keystroke. */
  coveredTop: () => number;
}

/** The space ProseMirror keeps between the caret and the edge it scrolls it to (its default). */
const MARGIN = 5;

/**
 * Scrolls the caret into view clear of what is stuck to the window's top, in the frame that shows
 * the change rather than in the middle of handling it.
 *
 * ProseMirror only knows the window's edges: Backspace at the start of a line just under the
 * sticky header and toolbar left the caret hidden under them. Its margins are objects it reads
 * when it scrolls, so they are set from what covers the top just before.
 *
 * ProseMirror also asks for the caret's coordinates right after each keystroke's update, which
 * lays the page out there and then; the frame lays it out again for whatever changed after
 * (decorations, other people's text applied at the frame's start). Asked from the frame's
 * callback, the coordinates come from the layout the frame does anyway, and the scroll still shows
 * in that frame.
 */
export const ScrollCaretInFrame = Extension.create<ScrollCaretOptions>({
  name: 'scrollCaretInFrame',
  addOptions() {
    return { coveredTop: () => 0 };
  },
  addProseMirrorPlugins() {
    const { coveredTop } = this.options;
    const threshold = { top: 0, right: 0, bottom: 0, left: 0 };
    const margin = { top: MARGIN, right: MARGIN, bottom: MARGIN, left: MARGIN };
    let frame: number | null = null;
    let scrollingNow = false;
    const scrollNow = (view: EditorView) => {
      const covered = Math.max(0, coveredTop());
      threshold.top = covered;
      margin.top = covered + MARGIN;
      scrollingNow = true;
      try {
        (view as ScrollingView).scrollToSelection();
      } finally {
        scrollingNow = false;
      }
    };
    return [
      new Plugin({
        props: {
          scrollThreshold: threshold,
          scrollMargin: margin,
          handleScrollToSelection(view) {
            // Our own call from the frame: ProseMirror's default scrolling does the work.
            if (scrollingNow) return false;
            frame ??= requestAnimationFrame(() => {
              frame = null;
              if (!view.isDestroyed) scrollNow(view);
            });
            return true;
          },
        },
        view: () => ({
          destroy() {
            if (frame !== null) cancelAnimationFrame(frame);
            frame = null;
          },
        }),
      }),
    ];
  },
});

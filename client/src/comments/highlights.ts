import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { contentFragment, isAnchorKnown, measureBlocks, resolveAnchor } from '#shared/anchors';
import type { ThreadAnchor } from '#shared/threads';
import { COMMENTS_META, DRAFT_KEY, type CommentsController, type ThreadPosition } from './CommentsController';

interface HighlightState {
  decorations: DecorationSet;
  positions: Map<string, ThreadPosition>;
  /** Mapped through an edit rather than computed: recompute at the next frame. */
  stale: boolean;
}

export const commentsPluginKey = new PluginKey<HighlightState>('commentHighlights');

export interface CommentHighlightsOptions {
  controller: CommentsController | null;
  /** The content room's doc the editor is bound to. */
  ydoc: Y.Doc | null;
}

/**
 * Thread passages as decorations, never marks: nothing is written into the text, so a
 * read-only reviewer's threads highlight like anyone's. Positions come from each thread's
 * Yjs relative positions, recomputed when the threads change and at most once a frame after
 * edits (local or remote), and mapped through each edit in between: a burst of keystrokes
 * costs one recomputation, not one per keystroke.
 */
export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: 'commentHighlights',

  addOptions() {
    return { controller: null, ydoc: null };
  },

  onCreate() {
    this.options.controller?.setEditor(this.editor);
  },

  onDestroy() {
    this.options.controller?.setEditor(null);
  },

  addKeyboardShortcuts() {
    const { controller } = this.options;
    return { 'Mod-Alt-m': () => controller?.startDraft('shared', true) ?? false };
  },

  addProseMirrorPlugins() {
    const { controller, ydoc } = this.options;
    if (!controller || !ydoc) return [];
    const fragment = contentFragment(ydoc);

    /**
     * `previous` mapped through local edits: where ProseMirror's own mapping says a passage
     * went. When the binding rewrote the passage's paragraph, its anchor reads as lost until
     * the server has repaired it; meanwhile the mapped place is the better guess.
     */
    const compute = (doc: PMNode, previous?: HighlightState): HighlightState => {
      const size = doc.content.size;
      const positions = new Map<string, ThreadPosition>();
      const decorations: Decoration[] = [];
      const { activeKey, draft } = controller.getSnapshot();
      // One pass over the text for all anchors, instead of each anchor adding up every block before it.
      const blocks = measureBlocks(fragment);
      const place = (key: string, anchor: ThreadAnchor): ThreadPosition => {
        if (!isAnchorKnown(ydoc, anchor)) {
          const position = { from: 0, to: 0, detached: true, pending: true };
          positions.set(key, position);
          return position;
        }
        const resolved = resolveAnchor(ydoc, fragment, anchor, blocks);
        const from = Math.min(resolved?.from ?? 0, size);
        const to = Math.min(resolved?.to ?? 0, size);
        let position: ThreadPosition = { from, to, detached: !resolved || resolved.detached || from >= to };
        const mapped = previous?.stale ? previous.positions.get(key) : undefined;
        if (mapped && !mapped.detached && !mapped.pending && mapped.to <= size && (position.detached || position.from !== mapped.from || position.to !== mapped.to)) {
          position = { from: mapped.from, to: mapped.to, detached: false };
        }
        positions.set(key, position);
        return position;
      };
      for (const { key, scope, thread } of controller.all()) {
        if (!thread.anchor) continue;
        const { from, to, detached } = place(key, thread.anchor);
        const active = key === activeKey;
        if (detached || (thread.resolved && !active)) continue;
        const classes = ['comment-highlight'];
        if (scope === 'caucus') classes.push('comment-highlight--private');
        if (thread.resolved) classes.push('comment-highlight--resolved');
        if (active) classes.push('comment-highlight--active');
        decorations.push(
          Decoration.inline(
            from,
            to,
            {
              class: classes.join(' '),
              'data-thread': key,
              style: `--thread-color: ${controller.colorOf(thread.createdBy.party)}`,
            },
            { key, inclusiveStart: false, inclusiveEnd: false },
          ),
        );
      }
      if (draft?.anchor) {
        const { from, to, detached } = place(DRAFT_KEY, draft.anchor);
        if (!detached) decorations.push(Decoration.inline(from, to, { class: 'comment-highlight comment-highlight--draft' }, { key: DRAFT_KEY }));
      }
      return { decorations: DecorationSet.create(doc, decorations), positions, stale: false };
    };

    const map = (state: HighlightState, tr: Transaction): HighlightState => {
      const positions = new Map<string, ThreadPosition>();
      for (const [key, p] of state.positions) {
        const from = tr.mapping.map(p.from, 1);
        const to = tr.mapping.map(p.to, -1);
        positions.set(key, { ...p, from, to, detached: p.detached || from >= to });
      }
      return { decorations: state.decorations.map(tr.mapping, tr.doc), positions, stale: true };
    };

    let frame: number | undefined;

    return [
      new Plugin<HighlightState>({
        key: commentsPluginKey,
        state: {
          init: (_, state) => compute(state.doc),
          apply(tr, previous, _old, state) {
            if (tr.getMeta(COMMENTS_META)) return compute(state.doc, previous);
            return tr.docChanged ? map(previous, tr) : previous;
          },
        },
        props: {
          decorations: (state) => commentsPluginKey.getState(state)?.decorations,
          handleDOMEvents: {
            // Clicking a highlighted passage opens its thread in the panel.
            click: (_view, event) => {
              const target = event.target instanceof Element ? event.target.closest('[data-thread]') : null;
              const key = target?.getAttribute('data-thread');
              if (key) controller.setActive(key, 'highlight');
              return false;
            },
          },
        },
        view: (view) => {
          controller.attachView(view);
          controller.setPositions(commentsPluginKey.getState(view.state)?.positions ?? new Map());
          return {
            update: (v) => {
              const state = commentsPluginKey.getState(v.state);
              if (!state) return;
              controller.setPositions(state.positions);
              if (state.stale && frame === undefined) {
                // Yjs has a local edit once this update has run; remote ones are there already.
                frame = requestAnimationFrame(() => {
                  frame = undefined;
                  if (!v.isDestroyed) v.dispatch(v.state.tr.setMeta(COMMENTS_META, { redraw: true }));
                });
              }
            },
            destroy: () => {
              if (frame !== undefined) cancelAnimationFrame(frame);
              controller.detachView(view);
            },
          };
        },
      }),
    ];
  },
});

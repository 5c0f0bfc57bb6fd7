import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { contentFragment, isAnchorKnown, measureBlocks, resolveAnchor, type BlockStarts } from '#shared/anchors';
import type { Thread, ThreadAnchor } from '#shared/threads';
import { COMMENTS_META, DRAFT_KEY, type CommentsController, type ThreadPosition } from './CommentsController';

interface HighlightState {
  decorations: DecorationSet;
  positions: Map<string, ThreadPosition>;
  /** Mapped through an edit rather than computed from the anchors. */
  stale: boolean;
  /**
   * Threads whose mapped place cannot be trusted: collapsed by an edit since they were last
   * resolved, or pending (their text had not arrived). Only these are resolved again after edits.
   */
  unsure: ReadonlySet<string>;
}

/** Transaction meta carrying threads re-resolved after edits: only those that changed. */
const REFRESH_META = 'commentsRefresh';

export const commentsPluginKey = new PluginKey<HighlightState>('commentHighlights');

export interface CommentHighlightsOptions {
  controller: CommentsController | null;
  /** The content room's doc the editor is bound to. */
  ydoc: Y.Doc | null;
}

/**
 * Thread passages as decorations, never marks: nothing is written into the text, so a
 * read-only reviewer's threads highlight like anyone's. Positions come from each thread's
 * Yjs relative positions, computed when the threads change and mapped through each edit
 * (ProseMirror's own mapping of what changed, local or remote). At most once a frame after
 * edits, only threads the mapping lost or could not place yet are resolved again from their
 * anchors, so a keystroke costs the same on a 40-page agreement with 60 threads as on one page.
 */
export function commentHighlightsPlugin(controller: CommentsController, ydoc: Y.Doc): Plugin<HighlightState> {
  const fragment = contentFragment(ydoc);

  /**
   * Where one passage is now. `mapped` is its place mapped through local edits: when the
   * binding rewrote the passage's paragraph, its anchor reads as lost until the server has
   * repaired it; meanwhile the mapped place is the better guess.
   */
  const place = (doc: PMNode, anchor: ThreadAnchor, mapped: ThreadPosition | undefined, blocks: () => BlockStarts): ThreadPosition => {
    if (!isAnchorKnown(ydoc, anchor)) return { from: 0, to: 0, detached: true, pending: true };
    const size = doc.content.size;
    const resolved = resolveAnchor(ydoc, fragment, anchor, blocks());
    // Past the end of what the editor shows: a long text still loading a slice at a time.
    if (resolved && !resolved.detached && resolved.to > size) return { from: 0, to: 0, detached: true, pending: true };
    const from = Math.min(resolved?.from ?? 0, size);
    const to = Math.min(resolved?.to ?? 0, size);
    const position: ThreadPosition = { from, to, detached: !resolved || resolved.detached || from >= to };
    if (
      mapped &&
      !mapped.detached &&
      !mapped.pending &&
      mapped.to <= size &&
      (position.detached || position.from !== mapped.from || position.to !== mapped.to)
    ) {
      return { from: mapped.from, to: mapped.to, detached: false };
    }
    return position;
  };

  /** The highlight of one thread (or the draft) at `position`, or null when none is shown. */
  const decorationFor = (key: string, position: ThreadPosition): Decoration | null => {
    if (position.detached) return null;
    const { from, to } = position;
    if (key === DRAFT_KEY) {
      return Decoration.inline(
        from,
        to,
        { nodeName: 'mark', class: 'comment-highlight comment-highlight--draft', 'aria-description': 'Comment being written' },
        { key: DRAFT_KEY },
      );
    }
    const item = controller.find(key);
    if (!item) return null;
    const { scope, thread } = item;
    const active = key === controller.getSnapshot().activeKey;
    if (thread.resolved && !active) return null;
    const classes = ['comment-highlight'];
    if (scope === 'caucus') classes.push('comment-highlight--private');
    if (thread.resolved) classes.push('comment-highlight--resolved');
    if (active) classes.push('comment-highlight--active');
    // A mark, described: a screen reader reading the text says the passage is commented, and by whom.
    return Decoration.inline(
      from,
      to,
      {
        nodeName: 'mark',
        class: classes.join(' '),
        'aria-description': describeThread(thread, scope === 'caucus'),
        'data-thread': key,
        style: `--thread-color: ${controller.colorOf(thread.createdBy.party)}`,
      },
      { key, inclusiveStart: false, inclusiveEnd: false },
    );
  };

  const anchorOf = (key: string): ThreadAnchor | undefined =>
    key === DRAFT_KEY ? controller.getSnapshot().draft?.anchor : controller.find(key)?.thread.anchor;

  /** Blocks measured once per pass, and only when some anchor needs them. */
  const lazyBlocks = (): (() => BlockStarts) => {
    let blocks: BlockStarts | undefined;
    return () => (blocks ??= measureBlocks(fragment));
  };

  /** Every thread placed from its anchor: when the threads, the active one or the draft changed. */
  const compute = (doc: PMNode, previous?: HighlightState): HighlightState => {
    const positions = new Map<string, ThreadPosition>();
    const decorations: Decoration[] = [];
    const blocks = lazyBlocks();
    const keys = controller
      .all()
      .filter((item) => item.thread.anchor)
      .map((item) => item.key);
    if (controller.getSnapshot().draft?.anchor) keys.push(DRAFT_KEY);
    for (const key of keys) {
      const position = place(doc, anchorOf(key) as ThreadAnchor, previous?.stale ? previous.positions.get(key) : undefined, blocks);
      positions.set(key, position);
      const decoration = decorationFor(key, position);
      if (decoration) decorations.push(decoration);
    }
    return { decorations: DecorationSet.create(doc, decorations), positions, stale: false, unsure: pendingKeys(positions) };
  };

  /** Places again the threads the edits since the last pass left unsure; null when none moved. */
  const refresh = (doc: PMNode, state: HighlightState): Map<string, ThreadPosition> | null => {
    const changed = new Map<string, ThreadPosition>();
    const blocks = lazyBlocks();
    for (const key of state.unsure) {
      const anchor = anchorOf(key);
      const current = state.positions.get(key);
      if (!anchor || !current) continue;
      const position = place(doc, anchor, current, blocks);
      if (
        position.from !== current.from ||
        position.to !== current.to ||
        position.detached !== current.detached ||
        Boolean(position.pending) !== Boolean(current.pending)
      ) {
        changed.set(key, position);
      }
    }
    return changed.size > 0 ? changed : null;
  };

  const applyRefresh = (doc: PMNode, state: HighlightState, changed: Map<string, ThreadPosition>): HighlightState => {
    const positions = new Map(state.positions);
    for (const [key, position] of changed) positions.set(key, position);
    const old = state.decorations.find(undefined, undefined, (spec: { key?: string }) => spec.key !== undefined && changed.has(spec.key));
    const added = [...changed].map(([key, position]) => decorationFor(key, position)).filter((d): d is Decoration => d !== null);
    return { decorations: state.decorations.remove(old).add(doc, added), positions, stale: false, unsure: pendingKeys(positions) };
  };

  const map = (state: HighlightState, tr: Transaction): HighlightState => {
    const positions = new Map<string, ThreadPosition>();
    let unsure: Set<string> | undefined;
    for (const [key, p] of state.positions) {
      const from = tr.mapping.map(p.from, 1);
      const to = tr.mapping.map(p.to, -1);
      const collapsed = !p.detached && from >= to;
      if (collapsed) (unsure ??= new Set(state.unsure)).add(key);
      positions.set(key, { ...p, from, to, detached: p.detached || collapsed });
    }
    return { decorations: state.decorations.map(tr.mapping, tr.doc), positions, stale: true, unsure: unsure ?? state.unsure };
  };

  let frame: number | undefined;
  /** The last state whose unsure threads were checked and found where the mapping put them. */
  let settled: HighlightState | undefined;

  return new Plugin<HighlightState>({
    key: commentsPluginKey,
    state: {
      init: (_, state) => compute(state.doc),
      apply(tr, previous, _old, state) {
        if (tr.getMeta(COMMENTS_META)) return compute(state.doc, previous === settled ? { ...previous, stale: false } : previous);
        const changed = tr.getMeta(REFRESH_META) as Map<string, ThreadPosition> | undefined;
        if (changed) return applyRefresh(state.doc, tr.docChanged ? map(previous, tr) : previous, changed);
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
      let told = commentsPluginKey.getState(view.state)?.positions ?? new Map<string, ThreadPosition>();
      controller.setPositions(told);
      return {
        update: (v) => {
          const state = commentsPluginKey.getState(v.state);
          if (!state) return;
          if (state.positions !== told) controller.setPositions((told = state.positions));
          if (!state.stale || state === settled || frame !== undefined) return;
          // Yjs has a local edit once this update has run; remote ones are there already.
          frame = requestAnimationFrame(() => {
            frame = undefined;
            if (v.isDestroyed) return;
            const current = commentsPluginKey.getState(v.state);
            if (!current || !current.stale || current === settled) return;
            // Threads in the part of a long text not shown yet are placed once the last slice is.
            if (loadingRest(v.state)) return;
            const changed = current.unsure.size > 0 ? refresh(v.state.doc, current) : null;
            if (changed) v.dispatch(v.state.tr.setMeta(REFRESH_META, changed));
            else settled = current;
          });
        },
        destroy: () => {
          if (frame !== undefined) cancelAnimationFrame(frame);
          controller.detachView(view);
        },
      };
    },
  });
}

/** The editor still shows only the first blocks of a long text (patches/@tiptap+y-tiptap+3.0.9.patch). */
function loadingRest(state: EditorState): boolean {
  return Boolean((ySyncPluginKey.getState(state) as { binding?: { isLoadingRest?: boolean } } | undefined)?.binding?.isLoadingRest);
}

function pendingKeys(positions: Map<string, ThreadPosition>): ReadonlySet<string> {
  const pending = new Set<string>();
  for (const [key, p] of positions) if (p.pending) pending.add(key);
  return pending;
}

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
    return { 'Mod-Alt-m': () => controller?.startDraft(controller.newThreadScope, true) ?? false };
  },

  addProseMirrorPlugins() {
    const { controller, ydoc } = this.options;
    return controller && ydoc ? [commentHighlightsPlugin(controller, ydoc)] : [];
  },
});

/** What a screen reader says of a commented passage: "Private comment by Nia Otieno, 2 comments". */
function describeThread(thread: Thread, isPrivate: boolean): string {
  const count = thread.comments.length;
  const kind = thread.resolved ? 'Resolved comment' : isPrivate ? 'Private comment' : 'Comment';
  return `${kind} by ${thread.createdBy.name}, ${count} ${count === 1 ? 'comment' : 'comments'}`;
}

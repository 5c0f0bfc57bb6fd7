import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { anchorAt, contentFragment, resolveAnchor } from '#shared/anchors';
import { NEUTRAL_COLOR } from '#shared/colors';
import type { AgreementView } from '#shared/protocol';
import { changedThreadIds, readThread, threadsOf } from '#shared/threadStore';
import type { Thread, ThreadAnchor } from '#shared/threads';
import { jumpToElement } from '../dashboard/jump';
import { newRandomId } from '#shared/randomId';

/** Shared threads live in the records room; private ones in my party's caucus room. */
export type Scope = 'shared' | 'caucus';

export interface ThreadItem {
  /** Unique across both rooms. */
  key: string;
  scope: Scope;
  thread: Thread;
}

export interface ThreadPosition {
  from: number;
  to: number;
  /** The passage's text is gone (or the anchor no longer resolves). */
  detached: boolean;
  /** This device has not received the text the anchor refers to yet. */
  pending?: boolean;
}

/** A thread being written, before the server has it. */
export interface Draft {
  scope: Scope;
  /** The thread's id, chosen once: sent again after a lost answer, it finds the thread made rather than making two. */
  id: string;
  anchor?: ThreadAnchor;
  quote?: string;
  /** A private draft's party, as when it was begun: a move to another party while writing must not send it there. */
  party?: string;
}

export interface CommentsSnapshot {
  shared: ThreadItem[];
  caucus: ThreadItem[];
  activeKey: string | null;
  /** Why the active thread became active: a click on its highlight scrolls the panel to it. */
  activeFrom: 'highlight' | 'panel' | null;
  draft: Draft | null;
  editor: Editor | null;
  /** Changes whenever the text order of threads or their detached state changes. */
  layout: string;
  /** Replies and edits that were being written in a thread its author deleted meanwhile, to copy. */
  orphaned: string[];
}

export const keyOf = (scope: Scope, id: string) => `${scope === 'caucus' ? 'c' : 's'}:${id}`;

/**
 * The comments feature's state outside React: threads read live from the server-owned
 * rooms, where their passages are in the text (computed by the highlight plugin), the
 * active thread and the draft. Panels subscribe with useSyncExternalStore; the editor's
 * highlight plugin reads it and is told to redraw when it changes.
 */
export class CommentsController {
  private readonly listeners = new Set<() => void>();
  private snapshot: CommentsSnapshot = { shared: [], caucus: [], activeKey: null, activeFrom: null, draft: null, editor: null, layout: '', orphaned: [] };
  private view: EditorView | null = null;
  private contentDoc: Y.Doc | null = null;
  /** Latest passage of every anchored thread (and `draft`), by key. */
  positions = new Map<string, ThreadPosition>();
  /**
   * Where a thread started from the keyboard goes: the panel's tab. On the tab that says
   * "Private to" the party, the shortcut wrote to everyone while the button wrote privately.
   */
  newThreadScope: Scope = 'shared';
  /**
   * Replies and edits being written, by field ({@link replyField}, {@link editField}): a card
   * that leaves the screen (the thread resolved by someone else under the Open filter, scrolled
   * out of a long list, the other tab chosen) takes its fields with it, and their words were lost.
   */
  private readonly written = new Map<string, string>();
  /** The party I speak for now (the broker may move me while the page is open). */
  private party: string | undefined;

  constructor(private readonly agreement: AgreementView) {
    this.party = agreement.me.party;
  }

  setParty(party: string | undefined): void {
    this.party = party;
  }

  /** A new draft's scope, with the party a private one is written for. */
  private scoped(scope: Scope): Pick<Draft, 'scope' | 'party'> {
    return scope === 'caucus' && this.party ? { scope, party: this.party } : { scope };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): CommentsSnapshot => this.snapshot;

  private update(patch: Partial<CommentsSnapshot>, redraw = true): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
    if (redraw) this.redraw();
  }

  /** Follows the `threads` map of a server-owned room; returns the unsubscribe. */
  followRoom(scope: Scope, doc: Y.Doc | null): () => void {
    if (!doc) {
      this.update({ [scope]: [] });
      return () => {};
    }
    const map = threadsOf(doc);
    // An unchanged thread keeps its item object, so what shows it need not render again;
    // only the threads a change touched are read again (a thread's comments are nested types).
    let previous = new Map<string, ThreadItem>();
    const read = (changed?: Set<string>) => {
      const next = new Map<string, ThreadItem>();
      for (const [id, entry] of map.entries()) {
        const known = previous.get(id);
        next.set(id, known && changed && !changed.has(id) ? known : { key: keyOf(scope, id), scope, thread: readThread(entry) });
      }
      previous = next;
      const items = [...next.values()];
      this.update({ [scope]: items });
    };
    const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const event of events) {
        if (event.target !== map) continue;
        for (const [id, change] of event.changes.keys) if (change.action === 'delete') this.orphanWritten(keyOf(scope, id));
      }
      read(changedThreadIds(events));
    };
    map.observeDeep(onChange);
    read();
    return () => {
      map.unobserveDeep(onChange);
      this.update({ [scope]: [] });
    };
  }

  /** What was written in a reply or edit field and not sent yet (undefined: nothing). */
  writtenIn(field: string): string | undefined {
    return this.written.get(field);
  }

  /** Keeps what a field holds; '' forgets it (sent, or cancelled). */
  keepWritten(field: string, body: string): void {
    if (body.trim() === '') this.written.delete(field);
    else this.written.set(field, body);
  }

  /** What was being written in a thread that is gone: kept aside, shown for the person to copy. */
  private orphanWritten(key: string): void {
    const bodies: string[] = [];
    for (const [field, body] of [...this.written]) {
      if (!field.startsWith(`${key}/`)) continue;
      bodies.push(body);
      this.written.delete(field);
    }
    if (bodies.length > 0) this.update({ orphaned: [...this.snapshot.orphaned, ...bodies] }, false);
  }

  /** The person has copied (or let go of) what they wrote in deleted threads. */
  dismissOrphaned(): void {
    this.update({ orphaned: [] }, false);
  }

  /** Whether a reply or an edit is being written in a thread: its card stays shown whatever the filters. */
  isWritingIn(key: string): boolean {
    for (const field of this.written.keys()) if (field.startsWith(`${key}/`)) return true;
    return false;
  }

  setContentDoc(doc: Y.Doc | null): void {
    this.contentDoc = doc;
  }

  setEditor(editor: Editor | null): void {
    if (this.snapshot.editor !== editor) this.update({ editor }, false);
  }

  attachView(view: EditorView): void {
    this.view = view;
  }

  detachView(view: EditorView): void {
    if (this.view === view) this.view = null;
  }

  /** Every thread, shared and private. */
  all(): ThreadItem[] {
    return [...this.snapshot.shared, ...this.snapshot.caucus];
  }

  find(key: string): ThreadItem | undefined {
    return this.all().find((item) => item.key === key);
  }

  /** The colour of a party (neutral for people of none). */
  colorOf(partyId: string | undefined): string {
    return this.agreement.parties.find((p) => p.id === partyId)?.color ?? NEUTRAL_COLOR;
  }

  /** Tells the highlight plugin to recompute (threads, active thread or draft changed). */
  redraw(): void {
    const view = this.view;
    if (!view || view.isDestroyed) return;
    view.dispatch(view.state.tr.setMeta(COMMENTS_META, { redraw: true }));
  }

  /** Called by the plugin after each computation; re-renders panels only when the order or detachment changed. */
  setPositions(positions: Map<string, ThreadPosition>): void {
    this.positions = positions;
    const layout = [...positions.entries()]
      .sort((a, b) => a[1].from - b[1].from)
      .map(([key, p]) => `${key}${p.pending ? '?' : p.detached ? '!' : ''}`)
      .join(',');
    if (layout !== this.snapshot.layout) this.update({ layout }, false);
  }

  /** Where a thread's passage is now, computed afresh from the text. */
  positionOf(key: string): ThreadPosition | null {
    const item = this.find(key);
    const anchor = key === DRAFT_KEY ? this.snapshot.draft?.anchor : item?.thread.anchor;
    if (!anchor || !this.contentDoc) return null;
    const resolved = resolveAnchor(this.contentDoc, contentFragment(this.contentDoc), anchor);
    if (!resolved) return { from: 0, to: 0, detached: true };
    return resolved;
  }

  setActive(key: string | null, from: 'highlight' | 'panel' = 'panel'): void {
    if (key === this.snapshot.activeKey && from === this.snapshot.activeFrom) return;
    this.update({ activeKey: key, activeFrom: key ? from : null });
  }

  /** The non-empty passage selected in the editor, also when it is read-only. */
  selectedRange(): { from: number; to: number } | null {
    const view = this.view;
    if (!view || view.isDestroyed) return null;
    // What the browser shows selected comes first: the editor reads the selection only after the
    // browser's selectionchange, so a shortcut pressed right after a Shift+arrow (a fast keyboard
    // user on a busy laptop) took the passage a character or two short. A read-only view may not
    // take the browser's selection over at all.
    const shown = shownRange(view);
    if (shown) return shown;
    const { from, to, empty } = view.state.selection;
    return empty ? null : trimmed(view, from, to);
  }

  /** Starts writing a thread on the selected passage, or a caucus note about none. */
  startDraft(scope: Scope, withPassage: boolean): boolean {
    if (!withPassage) {
      this.update({ draft: { ...this.scoped(scope), id: newRandomId() }, activeKey: null, activeFrom: null });
      return true;
    }
    const range = this.selectedRange();
    if (!range || !this.contentDoc || !this.view) return false;
    const anchor = anchorAt(contentFragment(this.contentDoc), range.from, range.to);
    const quote = this.view.state.doc.textBetween(range.from, range.to, '\n').trim();
    this.update({ draft: { ...this.scoped(scope), id: newRandomId(), anchor, quote }, activeKey: null, activeFrom: null });
    return true;
  }

  setDraftScope(scope: Scope): void {
    if (!this.snapshot.draft) return;
    const { party: _was, ...draft } = this.snapshot.draft;
    this.update({ draft: { ...draft, ...this.scoped(scope) } });
  }

  cancelDraft(): void {
    if (this.snapshot.draft) this.update({ draft: null });
  }

  /** Selects a thread's passage in the text and scrolls it into view. */
  jumpTo(key: string): void {
    const view = this.view;
    const position = this.positionOf(key);
    this.setActive(key, 'panel');
    if (!view || view.isDestroyed || !position || position.detached) return;
    const size = view.state.doc.content.size;
    const from = Math.min(position.from, size);
    const to = Math.min(position.to, size);
    try {
      if (view.editable) view.focus();
      view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, from, to)));
      if (!view.editable) {
        // A read-only view leaves the browser's selection alone: show the passage selected anyway.
        const start = view.domAtPos(from);
        const end = view.domAtPos(to);
        const range = document.createRange();
        range.setStart(start.node, start.offset);
        range.setEnd(end.node, end.offset);
        const selection = view.dom.ownerDocument.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      }
    } catch {
      // a position between blocks: the highlight still shows where it is
    }
    // Asked again before each scroll: the highlight redrawn as active replaces the passage's elements.
    jumpToElement(() => {
      const at = this.positionOf(key);
      if (view.isDestroyed || !at || at.detached) return null;
      const { node } = view.domAtPos(Math.min(at.from, view.state.doc.content.size));
      return node instanceof Element ? node : node.parentElement;
    }, 'center');
  }
}

/** The reply field of a thread, for {@link CommentsController.writtenIn}. */
export const replyField = (key: string) => `${key}/reply`;
/** The edit field of one comment of a thread. */
export const editField = (key: string, commentId: string) => `${key}/edit/${commentId}`;

/** Transaction meta the highlight plugin listens for. */
export const COMMENTS_META = 'commentsRedraw';
/** Position key of the thread being written. */
export const DRAFT_KEY = 'draft';

/** The non-empty passage the browser shows selected inside the editor, in the editor's positions, or null. */
function shownRange(view: EditorView): { from: number; to: number } | null {
  const dom = view.dom.ownerDocument.getSelection();
  if (!dom || dom.isCollapsed || !dom.anchorNode || !dom.focusNode) return null;
  if (!view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return null;
  try {
    const a = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
    const b = view.posAtDOM(dom.focusNode, dom.focusOffset);
    return a === b ? null : trimmed(view, Math.min(a, b), Math.max(a, b));
  } catch {
    return null;
  }
}

/** Leaves out whitespace at either end of a selection, so the passage starts and ends on words. */
function trimmed(view: EditorView, from: number, to: number): { from: number; to: number } | null {
  const doc = view.state.doc;
  const charAt = (pos: number) => doc.textBetween(pos, pos + 1, '\n', '\n');
  while (from < to && /^\s$/.test(charAt(from))) from++;
  while (to > from && /^\s$/.test(charAt(to - 1))) to--;
  return doc.textBetween(from, to, '\n').trim() === '' ? null : { from, to };
}

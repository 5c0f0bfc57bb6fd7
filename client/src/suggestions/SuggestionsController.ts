import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import type { Node as PMNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import { NEUTRAL_COLOR } from '#shared/colors';
import { can } from '#shared/permissions';
import type { AgreementView } from '#shared/protocol';
import { type SuggestOnlyState, type Suggestion } from '#shared/suggestions';
import type { ThreadAnchor } from '#shared/threads';
import { holdPageOpenWhile } from '../ui/leaveGuard';
import { foldIntoDraft, isEmptyDraft, startsParagraphs, type DraftChange } from './draft';
import type { FormatEdit, TextChange } from './localChange';
import type { ComposedChange } from './compositionRun';
import { suggestionOf } from './suggestionOf';
import { followSuggestionRecords } from './followRecords';
import { draftPlace, passageAnchor, suggestionPlace, type SuggestionPlace } from './placeInText';
import { recordSuggestion } from './recordSuggestion';

/** Meta of transactions that only redraw suggestions (they change no text). */
export const SUGGESTIONS_META = 'suggestions';

/** How long typing may pause before the draft is sent as a suggestion. */
const SEND_AFTER_MS = 1200;

export type EditMode = 'editing' | 'suggesting';

export interface SuggestionsSnapshot {
  suggestions: Suggestion[];
  suggestOnly: SuggestOnlyState | null;
  /** What the person chose; {@link SuggestionsController.suggesting} says what applies. */
  mode: EditMode;
  draft: DraftChange | null;
  /** The last thing that went wrong (a refused suggestion), for a status line. */
  notice: string | null;
}

/**
 * The suggestions feature's state outside React: suggestions and suggest-only read live
 * from the records room, the person's editing mode, and the draft they are typing. In
 * suggesting mode the editor refuses its own edits and hands them here (see
 * suggestMode.ts); typing grows one draft, which is sent to the server after a pause.
 */
export class SuggestionsController {
  private readonly listeners = new Set<() => void>();
  private snapshot: SuggestionsSnapshot = { suggestions: [], suggestOnly: null, mode: 'editing', draft: null, notice: null };
  private editor: Editor | null = null;
  private contentDoc: Y.Doc | null = null;
  /** The draft's passage as relative positions, so remote edits move it along. */
  private draftAnchor: ThreadAnchor | null = null;
  /** The draft before each edit folded into it, newest last, for Undo while suggesting (anchored, so remote edits move them too). */
  private draftHistory: { draft: DraftChange | null; anchor: ThreadAnchor | null }[] = [];
  private sendTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly agreement: AgreementView,
    private readonly token: string,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SuggestionsSnapshot => this.snapshot;

  /**
   * While a draft is being typed, the browser asks before the page is left (once sent, the request
   * holds the page: api.ts); returns the stop.
   */
  holdPageWhileUnsent(): () => void {
    return holdPageOpenWhile(() => this.snapshot.draft !== null, this.subscribe);
  }

  private update(patch: Partial<SuggestionsSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
    const view = this.editor?.view;
    if (view && !view.isDestroyed) view.dispatch(view.state.tr.setMeta(SUGGESTIONS_META, true));
  }

  /** Follows the records room's suggestions and suggest-only; returns the unsubscribe. */
  followRecords(doc: Y.Doc | null): () => void {
    return followSuggestionRecords(doc, (suggestions, suggestOnly) => this.update({ suggestions, suggestOnly }));
  }

  setContentDoc(doc: Y.Doc | null): void {
    if (this.contentDoc === doc) return;
    this.contentDoc = doc;
    // Suggestions read before the text's doc was known were drawn nowhere (place() needs it): draw them now.
    this.update({});
  }

  setEditor(editor: Editor | null): void {
    this.editor = editor;
    // A new snapshot, so the panel re-subscribes to the editor it is bound to; and the suggestions are drawn again:
    // Tiptap names the editor a task after showing the text, and those read from the records room in between had
    // no editor to be drawn in (drawn nowhere until the text next changed).
    this.update({});
  }

  get currentEditor(): Editor | null {
    return this.editor;
  }

  /** Whether edits become suggestions: by the person's choice, or because the broker made the agreement suggest-only. */
  get suggesting(): boolean {
    if (!can(this.agreement.me.role, 'suggest')) return false;
    return this.snapshot.mode === 'suggesting' || this.snapshot.suggestOnly !== null;
  }

  setMode(mode: EditMode): void {
    if (mode === 'editing') void this.sendDraft();
    this.update({ mode, notice: null });
  }

  colorOf(party: string | undefined): string {
    return this.agreement.parties.find((p) => p.id === party)?.color ?? NEUTRAL_COLOR;
  }

  partyName(party: string | undefined): string | null {
    return this.agreement.parties.find((p) => p.id === party)?.name ?? null;
  }

  /**
   * Where an open suggestion is now in `doc` and whether it still reads as when it was made.
   * `doc` defaults to the editor's text; a plugin drawing a new state passes that state's: the
   * editor still holds the previous one then, which on opening the agreement is the empty
   * document before the text arrived (every suggestion then read as outdated until the next edit).
   */
  place(s: Suggestion, doc: PMNode | undefined = this.editor?.state.doc): SuggestionPlace | null {
    return this.contentDoc && doc ? suggestionPlace(this.contentDoc, doc, s) : null;
  }

  /** The draft where it is now (remote edits may have moved it). */
  currentDraft(): DraftChange | null {
    const draft = this.snapshot.draft;
    return draft && this.draftAnchor && this.contentDoc ? draftPlace(this.contentDoc, draft, this.draftAnchor) : draft;
  }

  /** A local edit suggesting mode cannot hold: nothing is suggested, and `why` says so in the suggesting bar. */
  refuseChange(why: string): void {
    this.update({ notice: why });
  }

  /** A local edit the editor refused in suggesting mode: it grows the draft, or starts a new one. Answers where the caret goes. */
  takeLocalChange(change: TextChange | null): void {
    if (!change || (change.from === change.to && !change.text)) {
      this.update({ notice: 'Suggestions hold text and paragraphs; that edit (a list, a rule, a line break or formatting) was not suggested.' });
      return;
    }
    const current = this.currentDraft();
    const before = { draft: current, anchor: this.draftAnchor };
    let folded = current ? foldIntoDraft(current, change) : null;
    // Undo takes back to the draft before this edit, or to none when this edit starts one.
    let undoTo = before;
    if (!folded) {
      if (current) void this.sendDraft();
      folded = { draft: { ...change }, caret: change.from === change.to ? change.from : change.to };
      undoTo = { draft: null, anchor: null };
    }
    this.draftHistory.push(undoTo);
    this.showDraft(isEmptyDraft(folded.draft) ? null : folded.draft, folded.caret);
  }

  /**
   * A step of an input method's composition (compositionRun.ts): a local change that may take the place
   * of the step before it. A preedit is not sent after a pause: choosing among the input method's
   * candidates is no pause in typing.
   */
  takeComposedChange({ change, replacesLast, committed }: ComposedChange): void {
    const previous = replacesLast ? this.draftHistory.pop() : undefined;
    if (previous) {
      this.draftAnchor = previous.anchor;
      this.snapshot = { ...this.snapshot, draft: previous.draft };
    }
    // A preedit emptied (Korean: backspace through the syllable being composed) leaves the draft as it was before it.
    if (change.from === change.to && !change.text) {
      const draft = this.currentDraft();
      this.showDraft(draft, draft ? draft.to : null);
    } else this.takeLocalChange(change);
    if (!committed) clearTimeout(this.sendTimer);
  }

  /** The last step of a composition, a preedit the input method took back without a word committed: the draft goes back to before it. */
  dropPreedit(): void {
    this.restorePreviousDraft();
  }

  /** A composition ended without a word committed after it (a key, a click): its draft is sent after the usual pause. */
  sendAfterPause(): void {
    clearTimeout(this.sendTimer);
    const draft = this.snapshot.draft;
    if (draft && !startsParagraphs(draft)) this.sendTimer = setTimeout(() => void this.sendDraft(), SEND_AFTER_MS);
  }

  /**
   * Undo while suggesting: takes back the last edit of the draft being typed. False when there is
   * none: Undo never reaches the text then (the editor's undo writes the person's earlier edits
   * straight into it, the very thing suggesting mode keeps out).
   */
  undoDraft(): boolean {
    if (this.restorePreviousDraft()) return true;
    this.update({ notice: 'Undo takes back what you type while suggesting. To undo your earlier edits of the text, switch to Editing.' });
    return false;
  }

  /** Shows the draft as it was before its last edit, the caret at its end; false when there was no edit to take back. */
  private restorePreviousDraft(): boolean {
    const previous = this.draftHistory.pop();
    if (!previous) return false;
    this.draftAnchor = previous.anchor;
    this.snapshot = { ...this.snapshot, draft: previous.draft };
    const draft = this.currentDraft();
    this.showDraft(draft, draft ? draft.to : null);
    return true;
  }

  /** Whether Undo has an edit of the draft to take back. */
  get canUndoDraft(): boolean {
    return this.draftHistory.length > 0;
  }

  /** Shows `draft` (null: none) as the one being typed, sent after a pause, with the caret at `caret`. */
  private showDraft(draft: DraftChange | null, caret: number | null): void {
    clearTimeout(this.sendTimer);
    this.setDraft(draft);
    if (draft && !startsParagraphs(draft)) this.sendTimer = setTimeout(() => void this.sendDraft(), SEND_AFTER_MS);
    const view = this.editor?.view;
    if (caret !== null && view && !view.isDestroyed && caret <= view.state.doc.content.size) {
      view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, caret)).setMeta(SUGGESTIONS_META, true));
    }
  }

  private setDraft(draft: DraftChange | null): void {
    this.draftAnchor = draft && this.contentDoc ? passageAnchor(this.contentDoc, draft.from, draft.to) : null;
    this.update({ draft, notice: null });
  }

  /** Sends the draft as a suggestion (after a pause in typing, on leaving the editor, or when an edit starts elsewhere). */
  async sendDraft(): Promise<void> {
    clearTimeout(this.sendTimer);
    const draft = this.currentDraft();
    const anchor = this.draftAnchor;
    const doc = this.editor?.state.doc;
    if (!draft || !anchor) return;
    // Once sent, it is a suggestion: Undo no longer takes its typing back.
    this.draftHistory = [];
    this.setDraft(null);
    const change = doc && this.contentDoc ? suggestionOf(doc, draft) : null;
    if (!change) {
      this.update({ notice: 'The suggestion was not recorded: that change does not fit where it was made.' });
      return;
    }
    const failure = await recordSuggestion(this.agreement.id, this.token, () =>
      change.kind === 'text' ? { anchor, text: change.text } : { anchor: passageAnchor(this.contentDoc!, change.from, change.to), blocks: change.blocks },
    );
    if (failure) this.update({ notice: failure });
  }

  /** Formatting put on or taken off in suggesting mode: suggested at once (the text keeps its formatting until accepted). */
  async suggestFormat(edit: FormatEdit): Promise<void> {
    if (!this.contentDoc) return;
    await this.sendDraft();
    const failure = await recordSuggestion(this.agreement.id, this.token, () => ({
      anchor: passageAnchor(this.contentDoc!, edit.from, edit.to),
      format: { mark: edit.mark, on: edit.on },
    }));
    this.update({ notice: failure });
  }

  destroy(): void {
    clearTimeout(this.sendTimer);
  }
}

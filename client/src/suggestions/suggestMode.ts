import { Extension } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { redo, undo, ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import { SUGGESTIONS_META, type SuggestionsController } from './SuggestionsController';
import { formatChangeOf, textChangeOf } from './localChange';
import { insertedText } from '#shared/suggestions';
import { textlessInsertionInWords } from './text';
import { CompositionRun } from './compositionRun';
import { crossesObjectiveEdge } from '../objectives/keepForeignObjectives';

/** Said when an edit over a selection out of an objective's field is not suggested. */
export const OBJECTIVE_EDGE_NOT_SUGGESTED =
  'Nothing was suggested: the selection runs out of an objective’s field, and a suggestion changes the words of one field or paragraph (or whole blocks). Suggest the change to each field and to the paragraph in turn.';

export const suggestionsPluginKey = new PluginKey<DecorationSet>('suggestions');

/** An insertion shown in the text: the suggester's words, underlined in their party's colour. */
function insertionElement(text: string, color: string, classes: string, key: string): HTMLElement {
  const span = document.createElement('span');
  span.className = `suggestion-ins ${classes}`;
  span.style.setProperty('--suggestion-color', color);
  span.textContent = text;
  // Typing beside it must go into the text (and so to the draft), never into this drawing.
  span.contentEditable = 'false';
  span.dataset.suggestion = key;
  return span;
}

/**
 * Suggesting mode and suggestions in the text. While the controller says edits are
 * suggestions, every local edit is refused before it reaches the text (and so Yjs) and
 * handed to the controller as a change of text; remote changes pass. Open suggestions
 * and the draft are drawn as decorations, never marks: nothing is written into the text.
 */
export const SuggestMode = Extension.create<{ controller: SuggestionsController | null }>({
  name: 'suggestMode',
  // Above the editor's other filters (the own-objective guard, 100): while suggesting no local edit
  // reaches the text, so this one takes it first and the guards have nothing to refuse; below
  // Collaboration (1000), whose undo and redo commands these replace.
  priority: 200,

  addOptions() {
    return { controller: null };
  },

  onCreate() {
    this.options.controller?.setEditor(this.editor);
  },

  onDestroy() {
    this.options.controller?.setEditor(null);
  },

  onBlur() {
    void this.options.controller?.sendDraft();
  },

  // Collaboration's undo and redo (Yjs's) write the person's own earlier edits straight into the text,
  // past suggesting mode: while suggesting, Undo takes back the draft's typing and Redo does nothing.
  // These replace Collaboration's commands of the same names (commands of a lower priority merge
  // later), which its Mod-z and Mod-y shortcuts and the toolbar call.
  addCommands() {
    const { controller } = this.options;
    return {
      undo:
        () =>
        ({ tr, state, dispatch }) => {
          tr.setMeta('preventDispatch', true);
          if (controller?.suggesting) return dispatch ? controller.undoDraft() : controller.canUndoDraft;
          if (yUndoPluginKey.getState(state)?.undoManager.undoStack.length === 0) return false;
          return dispatch ? undo(state) : true;
        },
      redo:
        () =>
        ({ tr, state, dispatch }) => {
          tr.setMeta('preventDispatch', true);
          if (controller?.suggesting) return false;
          if (yUndoPluginKey.getState(state)?.undoManager.redoStack.length === 0) return false;
          return dispatch ? redo(state) : true;
        },
    };
  },

  addProseMirrorPlugins() {
    const { controller } = this.options;
    if (!controller) return [];

    const draw = (doc: PMNode): DecorationSet => {
      const decorations: Decoration[] = [];
      const size = doc.content.size;
      for (const s of controller.getSnapshot().suggestions) {
        if (s.status !== 'open') continue;
        const place = controller.place(s, doc);
        if (!place || place.to > size) continue;
        const color = controller.colorOf(s.author.party);
        const state = place.outdated ? ' suggestion--outdated' : '';
        if (place.to > place.from && s.kind === 'blocks') {
          // Whole blocks deleted carry a change bar, as Word draws one beside changed lines (an empty paragraph has no text to strike).
          doc.nodesBetween(place.from, place.to, (node, pos) => {
            if (pos < place.from || pos + node.nodeSize > place.to || !node.isBlock) return true;
            decorations.push(
              Decoration.node(
                pos,
                pos + node.nodeSize,
                { class: `suggestion-del-block${state}`, style: `--suggestion-color: ${color}` },
                { key: `del-block:${s.id}:${pos}` },
              ),
            );
            return false;
          });
        }
        if (s.kind === 'format') {
          // Formatting proposed: the passage is marked, not struck (the card says which formatting).
          if (place.to > place.from)
            decorations.push(
              Decoration.inline(
                place.from,
                place.to,
                { class: `suggestion-format${state}`, style: `--suggestion-color: ${color}`, 'data-suggestion': s.id },
                { key: `format:${s.id}` },
              ),
            );
          continue;
        }
        if (place.to > place.from) {
          decorations.push(
            Decoration.inline(
              place.from,
              place.to,
              { class: `suggestion-del${state}`, style: `--suggestion-color: ${color}`, 'data-suggestion': s.id },
              { key: `del:${s.id}` },
            ),
          );
        }
        // Blocks with no text (an empty paragraph, a rule) are named in brackets: there are no words to underline.
        const described = textlessInsertionInWords(s);
        const inserted = described || insertedText(s);
        if (inserted) {
          const classes = `${s.kind === 'blocks' ? 'suggestion-ins--block' : ''}${described ? ' suggestion-ins--described' : ''}${state}`;
          decorations.push(
            Decoration.widget(place.to, () => insertionElement(inserted, color, classes, s.id), { side: -1, key: `ins:${s.id}:${inserted}:${state}` }),
          );
        }
      }
      const draft = controller.currentDraft();
      if (draft && draft.to <= size) {
        const mine = controller.colorOf(undefined);
        if (draft.to > draft.from)
          decorations.push(Decoration.inline(draft.from, draft.to, { class: 'suggestion-del suggestion--draft' }, { key: 'draft-del' }));
        if (draft.text) {
          decorations.push(
            Decoration.widget(draft.to, () => insertionElement(draft.text, mine, 'suggestion--draft', 'draft'), { side: -1, key: `draft-ins:${draft.text}` }),
          );
        }
      }
      return DecorationSet.create(doc, decorations);
    };

    const composition = new CompositionRun();
    // Whether the input being read was taken as a step of a composition: the change the editor reads from it is not taken again.
    let inputComposed = false;
    // The browser ended that composition with no compositionend, so ProseMirror still thought it open: it left the
    // paragraph undrawn (the suggestion made next never showed) and ignored keys. Said over, as the browser would have.
    const sayCompositionOver = (view: EditorView) => {
      if (view.composing && controller.suggesting) view.dom.dispatchEvent(new CompositionEvent('compositionend', { data: '' }));
    };
    // A click, leaving the editor or compositionend ends the run: a preedit taken back to nothing (compositionRun.ts,
    // preeditEmptied) leaves the draft first, where a preedit the input method still holds stays, as its commit.
    const endComposition = (view: EditorView) => {
      if (composition.preeditEmptied && controller.suggesting) {
        controller.dropPreedit();
        composition.end();
        sayCompositionOver(view);
      }
      if (composition.end() && controller.suggesting) controller.sendAfterPause();
      return false;
    };
    // A key or a click starts an input of another kind (a command, a drop, a paste) before any beforeinput.
    const otherInput = (view: EditorView) => {
      inputComposed = false;
      return endComposition(view);
    };
    // A key the input method did not take, while its preedit is in the draft: the input method holds no word any more. The
    // redraw after each step ended the browser's composition, so emptying the preedit (Korean: Backspace through the
    // syllable) reached the page as no event at all, and the preedit stayed to be suggested ("ㅎn"). An input method commits
    // its word before a key it does not take, so an uncommitted preedit here was taken back.
    const keyOutsideComposition = (view: EditorView) => {
      if (composition.preeditTaken && controller.suggesting) controller.dropPreedit();
      sayCompositionOver(view);
      return otherInput(view);
    };

    return [
      new Plugin<DecorationSet>({
        key: suggestionsPluginKey,
        state: {
          init: (_, state) => draw(state.doc),
          apply: (tr, previous, _old, state) => {
            if (tr.docChanged) composition.map((pos) => tr.mapping.map(pos, -1));
            return tr.getMeta(SUGGESTIONS_META) || tr.docChanged ? draw(state.doc) : previous;
          },
        },
        filterTransaction(tr, state) {
          if (!tr.docChanged || !controller.suggesting) return true;
          // Remote edits (and the binding's own bookkeeping) arrive through y-sync: let them in.
          if (tr.getMeta(ySyncPluginKey)) return true;
          // What plugins append (a trailing paragraph after a remote change) is nobody's suggestion: keep it out quietly.
          if (tr.getMeta('appendedTransaction')) return false;
          const format = formatChangeOf(tr);
          if (format) {
            queueMicrotask(() => void controller.suggestFormat(format));
            return false;
          }
          if (inputComposed) return false;
          // One suggestion cannot keep the objective's shape here (its words in each field and the paragraph's are separate
          // passages), and read as ProseMirror made the edit, it joined the paragraph into the field: said, not guessed at.
          if (crossesObjectiveEdge(state)) {
            queueMicrotask(() => controller.refuseChange(OBJECTIVE_EDGE_NOT_SUGGESTED));
            return false;
          }
          const change = textChangeOf(tr);
          // Not from inside the dispatch that asked: the controller dispatches the caret move itself.
          queueMicrotask(() => controller.takeLocalChange(change));
          return false;
        },
        props: {
          decorations: (state) => suggestionsPluginKey.getState(state),
          attributes: (): Record<string, string> => (controller.suggesting ? { 'data-suggesting': 'true' } : {}),
          handleDOMEvents: {
            beforeinput: (view, event) => {
              const { inputType } = event;
              const step = inputType === 'insertCompositionText';
              const typed = controller.suggesting && (step || inputType === 'insertText');
              // Read step by step, a word composed over an objective's edge went into the draft as a replacement the
              // server refuses: refused where it begins, as typing there is, with every later step and the word dropped.
              if (typed && step && !composition.open && crossesObjectiveEdge(view.state)) {
                composition.refuse();
                queueMicrotask(() => controller.refuseChange(OBJECTIVE_EDGE_NOT_SUGGESTED));
              }
              const composed = typed ? composition.step(event.data ?? '', !step, () => replacedBy(view, event)) : null;
              inputComposed = composed !== null;
              if (composed && composed !== 'refused') queueMicrotask(() => controller.takeComposedChange(composed));
              return false;
            },
            // The committed word's own change may still be read after compositionend: inputComposed stays.
            compositionend: endComposition,
            blur: endComposition,
            // 229: a key the input method took. Any other key, or a click, ends the composition.
            keydown: (view, event) => {
              if (event.keyCode !== 229) return keyOutsideComposition(view);
              composition.inputMethodKey(event.code);
              return false;
            },
            mousedown: otherInput,
          },
        },
      }),
    ];
  },
});

/** What an input replaces, as the browser says (the selection, or a word an Android keyboard composes again), in the text's positions. */
function replacedBy(view: EditorView, event: InputEvent): { from: number; to: number } {
  const [range] = event.getTargetRanges();
  const { from, to } = view.state.selection;
  if (!range) return { from, to };
  try {
    return { from: view.posAtDOM(range.startContainer, range.startOffset), to: view.posAtDOM(range.endContainer, range.endOffset) };
  } catch {
    // A range ProseMirror does not draw (a widget's): the selection.
    return { from, to };
  }
}

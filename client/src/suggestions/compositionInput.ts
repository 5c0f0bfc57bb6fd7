import type { Mapping } from '@tiptap/pm/transform';
import type { EditorView } from '@tiptap/pm/view';
import type { SuggestionsController } from './SuggestionsController';
import { CompositionRun } from './compositionRun';
import { refusedAtObjectiveEdge } from './objectiveEdge';

/** What suggesting mode needs of an input method's composition: its DOM handlers, and what they found. */
export interface CompositionInput {
  /** Whether the input being read was taken as a step of a composition: the change the editor reads from it is not taken again. */
  readonly inputComposed: boolean;
  /** Follows a change of the text (others' edits arrive while the person composes). */
  map(mapping: Mapping): void;
  /** For the plugin's `handleDOMEvents`. */
  handlers: {
    beforeinput(view: EditorView, event: InputEvent): boolean;
    compositionend(view: EditorView): boolean;
    blur(view: EditorView): boolean;
    keydown(view: EditorView, event: KeyboardEvent): boolean;
    mousedown(view: EditorView): boolean;
  };
}

/**
 * An input method's composition while suggesting, read from the input events (compositionRun.ts says why) and handed
 * to the controller step by step; the run ends on compositionend, a key the input method did not take, a click or
 * leaving the editor.
 */
export function compositionInput(controller: SuggestionsController): CompositionInput {
  const composition = new CompositionRun();
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

  return {
    get inputComposed() {
      return inputComposed;
    },
    map: (mapping) => composition.map((pos) => mapping.map(pos, -1)),
    handlers: {
      beforeinput: (view, event) => {
        const { inputType } = event;
        const step = inputType === 'insertCompositionText';
        const typed = controller.suggesting && (step || inputType === 'insertText');
        // Read step by step, a word composed over an objective's edge went into the draft as a replacement the
        // server refuses: refused where it begins, as typing there is, with every later step and the word dropped.
        if (typed && step && !composition.open && refusedAtObjectiveEdge(view.state, controller)) composition.refuse();
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
  };
}

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

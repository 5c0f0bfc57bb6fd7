import type { TextChange } from './localChange';

/** A step of a composition as a change of the text, and whether it takes the place of the step before it. */
export interface ComposedChange {
  change: TextChange;
  replacesLast: boolean;
  /** The input method's word, committed: the draft may be sent after a pause again. */
  committed: boolean;
}

/**
 * An input method's composition (Japanese, Chinese, Korean, a dead key's accent) while suggesting.
 * Suggesting keeps the person's edits out of the text, so ProseMirror draws the paragraph again after
 * each step of a composition, which takes the preedit away and ends the composition: the input method
 * then starts a new one at the caret with its whole preedit (" に", " にほ", " にほん") and commits its
 * word as plain typing (" 日本"). Read from the text, each step looked like more typing. The steps are
 * read from the input events instead, each the whole word so far, at the place where the composition
 * started: each takes the place of the one before it, and the commit closes the run.
 */
export class CompositionRun {
  /** Where the composed word goes (what its first step replaced, moved by others' edits); null when none is open. */
  private place: { from: number; to: number } | null = null;
  /** Whether a step of the open composition is in the draft. */
  private taken = false;
  /** Whether the open composition began where nothing can be suggested: its steps and its word are taken nowhere. */
  private refused = false;
  /** Whether the input method took a Backspace and no step came after it (see {@link preeditEmptied}). */
  private backspaceUnanswered = false;

  /** Whether a composition is open (taken or refused). */
  get open(): boolean {
    return this.place !== null || this.refused;
  }

  /**
   * A composition begins where no suggestion can be made (over an objective's edge): until it ends, its preedits
   * and its committed word are dropped, so none of them reaches the text or the draft as typing.
   */
  refuse(): void {
    this.place = null;
    this.refused = true;
  }

  /**
   * The input method's text now, its preedit or its committed word, as the change to take; null when it is
   * plain typing. The first step of a run goes where it replaces (`place`: the selection, or the word an
   * Android keyboard composes again to correct it). 'refused': a step of a refused composition, to drop.
   */
  step(text: string, committed: boolean, place: () => { from: number; to: number }): ComposedChange | 'refused' | null {
    if (this.refused) {
      if (committed) this.end();
      return 'refused';
    }
    if (!this.place) {
      if (committed) return null;
      this.place = place();
      this.taken = false;
    }
    const composed = { change: { ...this.place, text }, replacesLast: this.taken, committed };
    this.taken = true;
    this.backspaceUnanswered = false;
    if (committed) this.end();
    return composed;
  }

  /** Whether the open composition's last step in the draft is a preedit (nothing committed since). */
  get preeditTaken(): boolean {
    return this.place !== null && this.taken;
  }

  /** A key the input method took (keydown 229), by its physical key (`KeyboardEvent.code`). */
  inputMethodKey(code: string): void {
    this.backspaceUnanswered = this.preeditTaken && code === 'Backspace';
  }

  /**
   * Whether the preedit in the draft was taken back to nothing: the input method took a Backspace and answered with no
   * step. The redraw after each step ended the browser's composition, so an emptied preedit reaches the page as no
   * event, and a click or leaving the editor looks the same whether the input method still holds a word (committed
   * then, and kept) or holds none: this is what tells them apart. A Backspace that leaves letters is answered by the
   * shorter preedit. Android keyboards give no key code: their emptied preedit is kept as before.
   */
  get preeditEmptied(): boolean {
    return this.preeditTaken && this.backspaceUnanswered;
  }

  /** A key that is not the input method's, a click, compositionend: the run is over. Answers whether one was open. */
  end(): boolean {
    const open = this.open;
    this.place = null;
    this.refused = false;
    this.backspaceUnanswered = false;
    return open;
  }

  /** Follows others' edits, which the text takes while the person composes. */
  map(position: (pos: number) => number): void {
    if (this.place) this.place = { from: position(this.place.from), to: position(this.place.to) };
  }
}

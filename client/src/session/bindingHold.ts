import type * as Y from 'yjs';

/** The event our y-tiptap patch listens for (patches/@tiptap+y-tiptap+3.0.9.patch, `_held`). */
const HOLD_EVENT = 'binding-hold';

type HoldableDoc = Y.Doc & { bindingHeld?: boolean };

/**
 * Holds or releases the editor's binding to this document. While a long text is applied in
 * pieces across tasks (piecewiseSync.ts), the document holds half-applied wording: the binding
 * shows none of it and writes nothing back (the editor is not editable meanwhile), and shows
 * everything when released. A binding created during the hold starts held.
 */
export function holdBinding(doc: Y.Doc, held: boolean): void {
  const holdable = doc as HoldableDoc;
  if (Boolean(holdable.bindingHeld) === held) return;
  holdable.bindingHeld = held;
  // A custom event on the document's own emitter, so the binding needs nothing of ours to hear it.
  (doc as unknown as { emit(name: string, args: unknown[]): void }).emit(HOLD_EVENT, [held]);
}

export function isBindingHeld(doc: Y.Doc): boolean {
  return (doc as HoldableDoc).bindingHeld === true;
}

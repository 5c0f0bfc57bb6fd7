import type * as Y from 'yjs';

/** The event our y-tiptap patch listens for (patches/@tiptap+y-tiptap+3.0.9.patch, `_held`). */
const HOLD_EVENT = 'binding-hold';

type HoldableDoc = Y.Doc & { bindingHeld?: boolean; bindingHolds?: number };

/**
 * Holds the editor's binding to this document until the returned function is called. While a long
 * text is applied in pieces across tasks (piecewiseSync.ts), the document holds half-applied
 * wording: the binding shows none of it and writes nothing back (the editor is not editable
 * meanwhile), and shows everything once the last hold ends. The server's copy and this device's
 * may arrive at once: holds are counted. A binding created during a hold starts held.
 */
export function holdBinding(doc: Y.Doc): () => void {
  const holdable = doc as HoldableDoc;
  holdable.bindingHolds = (holdable.bindingHolds ?? 0) + 1;
  if (holdable.bindingHolds === 1) setHeld(holdable, true);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holdable.bindingHolds = (holdable.bindingHolds ?? 1) - 1;
    if (holdable.bindingHolds === 0) setHeld(holdable, false);
  };
}

/** Calls `listener` each time the hold begins or ends; returns the unsubscribe. */
export function onBindingHold(doc: Y.Doc, listener: () => void): () => void {
  const emitter = doc as unknown as { on(name: string, f: () => void): void; off(name: string, f: () => void): void };
  emitter.on(HOLD_EVENT, listener);
  return () => emitter.off(HOLD_EVENT, listener);
}

export function isBindingHeld(doc: Y.Doc): boolean {
  return (doc as HoldableDoc).bindingHeld === true;
}

function setHeld(doc: HoldableDoc, held: boolean): void {
  doc.bindingHeld = held;
  // A custom event on the document's own emitter, so the binding needs nothing of ours to hear it.
  (doc as unknown as { emit(name: string, args: unknown[]): void }).emit(HOLD_EVENT, [held]);
}

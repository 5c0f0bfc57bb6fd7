import { useEffect, useLayoutEffect } from 'react';
import type { Editor } from '@tiptap/core';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';

/** Where the caret was, in the shared text's own items: a copy of the text reloaded from the server holds the same ones. */
export interface CaretPlace {
  anchor: Y.RelativePosition;
  head: Y.RelativePosition;
}

type SyncState = { type: Y.XmlFragment; binding: { mapping: Parameters<typeof absolutePositionToRelativePosition>[2] } | null };

function syncOf(editor: Editor): SyncState | null {
  const sync = ySyncPluginKey.getState(editor.state) as SyncState | undefined;
  return sync?.binding ? sync : null;
}

/** The caret of an editor about to be replaced, if the focus is in it (else there is nothing to keep). */
export function caretPlace(editor: Editor): CaretPlace | null {
  const sync = syncOf(editor);
  if (!sync || !editor.view.hasFocus()) return null;
  const { anchor, head } = editor.state.selection;
  return {
    anchor: absolutePositionToRelativePosition(anchor, sync.type, sync.binding!.mapping),
    head: absolutePositionToRelativePosition(head, sync.type, sync.binding!.mapping),
  };
}

/** Where `place` is in this editor's text now; null while the text does not hold it. */
export function placeIn(editor: Editor, place: CaretPlace): { from: number; to: number } | null {
  const sync = syncOf(editor);
  const doc = sync?.type.doc;
  if (!sync || !doc) return null;
  const anchor = relativePositionToAbsolutePosition(doc, sync.type, place.anchor, sync.binding!.mapping);
  const head = relativePositionToAbsolutePosition(doc, sync.type, place.head, sync.binding!.mapping);
  const size = editor.state.doc.content.size;
  if (anchor === null || head === null || !(anchor <= size) || !(head <= size)) return null;
  return { from: anchor, to: head };
}

/**
 * The caret of the last editor of a room destroyed with the focus in it. Kept here, not in the
 * component: while the text reloads the page shows no editor, and the next one is a new component.
 */
let carried: { room: string; place: CaretPlace; at: number } | null = null;

/** How long a kept place waits for the next editor, and for the reloaded text to hold it. */
const GIVE_UP_MS = 5_000;

/**
 * When the text is reloaded from the server (a change of this person's was refused), the editor is
 * a new one: the caret vanished and what the person typed next went nowhere. The caret the old
 * editor had, with the focus, is put back in the new one once its text holds that place.
 */
export function useCaretAcrossReload(editor: Editor, room: string, provider: WebsocketProvider): void {
  // A layout effect: its cleanup runs while the editor's text is still in the page, with the focus.
  useLayoutEffect(() => {
    const keep = () => {
      const place = caretPlace(editor);
      carried = place ? { room, place, at: Date.now() } : null;
    };
    // The editor is destroyed after the component is gone (a tick later) or, for a new session, while
    // it stays: its place is read in whichever comes first, while it is still whole.
    editor.on('destroy', keep);
    return () => {
      editor.off('destroy', keep);
      if (!editor.isDestroyed) keep();
    };
  }, [editor, room]);
  useEffect(() => {
    const kept = carried;
    // A place kept long ago (the person left the agreement and came back) is not taken up.
    if (kept?.room !== room || Date.now() - kept.at > GIVE_UP_MS) return;
    let givenUpAt = Infinity;
    const stop = () => {
      provider.off('sync', tryNow);
      editor.off('transaction', tryNow);
    };
    // The text reaches the editor after the provider has it (in pieces, a frame later): tried at each
    // of the editor's changes once synced, for a while; a place the server's text lacks is let go.
    const tryNow = () => {
      if (!provider.synced || editor.isDestroyed) return;
      givenUpAt = Math.min(givenUpAt, Date.now() + GIVE_UP_MS);
      const at = placeIn(editor, kept.place);
      if (!at && Date.now() <= givenUpAt) return;
      if (carried === kept) carried = null;
      // Stopped first: putting the caret back is a change of the editor's too.
      stop();
      if (at) editor.chain().setTextSelection(at).focus(undefined, { scrollIntoView: false }).run();
    };
    provider.on('sync', tryNow);
    editor.on('transaction', tryNow);
    tryNow();
    return stop;
  }, [editor, room, provider]);
}

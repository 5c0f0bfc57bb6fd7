import { useEffect, useState } from 'react';
import type { JSONContent } from '@tiptap/core';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { CONTENT_FIELD } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import type { CollabSession } from '../session/openSession';

/** Longest wait between an edit and the panels catching up; reading the whole text on every keystroke is wasteful. */
const SETTLE_MS = 150;

/**
 * The agreement text as ProseMirror JSON, read with the shared schema (defaults filled in,
 * exactly as the server reads it, so hashes agree), following every edit.
 */
export function useDocumentJSON(session: CollabSession | null): JSONContent | null {
  const [doc, setDoc] = useState<JSONContent | null>(null);
  useEffect(() => {
    if (!session) return;
    const fragment = session.ydoc.getXmlFragment(CONTENT_FIELD);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      timer = undefined;
      setDoc(yXmlFragmentToProseMirrorRootNode(fragment, documentSchema()).toJSON() as JSONContent);
    };
    const schedule = () => {
      timer ??= setTimeout(read, SETTLE_MS);
    };
    read();
    fragment.observeDeep(schedule);
    return () => {
      fragment.unobserveDeep(schedule);
      if (timer) clearTimeout(timer);
    };
  }, [session]);
  return doc;
}

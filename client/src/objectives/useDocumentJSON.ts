import { useEffect, useState } from 'react';
import type { JSONContent } from '@tiptap/core';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { CONTENT_FIELD } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import type { CollabSession } from '../session/openSession';

/** Wait after an edit before reading the text again: a burst of keystrokes costs one read. */
const SETTLE_MS = 300;
/** Longest further wait for the browser to be idle (the panels are not worth a dropped frame). */
const IDLE_TIMEOUT_MS = 1000;

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
    let idle: number | undefined;
    const read = () => {
      timer = undefined;
      idle = undefined;
      setDoc(yXmlFragmentToProseMirrorRootNode(fragment, documentSchema()).toJSON() as JSONContent);
    };
    const schedule = () => {
      if (timer !== undefined || idle !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        idle = requestIdleCallback(read, { timeout: IDLE_TIMEOUT_MS });
      }, SETTLE_MS);
    };
    read();
    fragment.observeDeep(schedule);
    return () => {
      fragment.unobserveDeep(schedule);
      if (timer !== undefined) clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, [session]);
  return doc;
}

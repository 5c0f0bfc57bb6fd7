import { useEffect, useState } from 'react';
import type { JSONContent } from '@tiptap/core';
import type * as Y from 'yjs';
import { CONTENT_FIELD } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import type { CollabSession } from '../session/openSession';
import { StructureSource } from './structureSource';

/** Wait after an edit before reading the text again: a burst of keystrokes costs one read. */
const SETTLE_MS = 300;
/** Longest further wait for the browser to be idle (the panels are not worth a dropped frame). */
const IDLE_TIMEOUT_MS = 1000;

/**
 * The agreement text as ProseMirror JSON for the structure panels, read with the shared schema
 * (defaults filled in, exactly as the server reads it, so hashes agree). It follows edits
 * incrementally (only blocks an edit touched are read again) and changes only when something
 * those panels read changed: headings, objectives, whether a block has text beyond a prompt.
 * A paragraph's words are not kept current: read the editor for them. Null until the text has
 * arrived, from the server or from this device's copy: the empty page before it is no agreement
 * without objectives, and the panels said so ("Objectives 0", every part missing) on a slow link.
 */
export function useDocumentJSON(session: CollabSession | null): JSONContent | null {
  const [doc, setDoc] = useState<JSONContent | null>(null);
  useEffect(() => {
    if (!session) return;
    const fragment = session.ydoc.getXmlFragment(CONTENT_FIELD);
    const source = new StructureSource(fragment, documentSchema());
    let timer: ReturnType<typeof setTimeout> | undefined;
    let idle: number | undefined;
    const { provider, persistence } = session;
    const arrived = () => provider.synced || (persistence.synced && fragment.length > 0);
    const read = () => {
      timer = undefined;
      idle = undefined;
      if (!arrived()) return;
      const { doc: next, changed } = source.read();
      if (changed) setDoc(next);
    };
    // The text may arrive without changing this copy (the device's copy was already current).
    const onArrived = () => {
      if (timer === undefined && idle === undefined) read();
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- observeDeep's events
    const edited = (events: Y.YEvent<any>[]) => {
      source.invalidate(events);
      if (timer !== undefined || idle !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        idle = requestIdleCallback(read, { timeout: IDLE_TIMEOUT_MS });
      }, SETTLE_MS);
    };
    read();
    fragment.observeDeep(edited);
    provider.on('sync', onArrived);
    persistence.on('synced', onArrived);
    return () => {
      fragment.unobserveDeep(edited);
      provider.off('sync', onArrived);
      persistence.off('synced', onArrived);
      if (timer !== undefined) clearTimeout(timer);
      if (idle !== undefined) cancelIdleCallback(idle);
    };
  }, [session]);
  return doc;
}

import { useEffect } from 'react';
import type { Editor } from '@tiptap/core';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { RecordsKey } from '#shared/records';
import type { SnapshotSummary } from '#shared/snapshots';
import type { ServerRoom } from '../session/useServerRoom';

/**
 * Ends the text's undo history where a snapshot is restored. The restore makes the text the
 * snapshot's as one change of the broker's; Yjs's undo of a step made before it put the words the
 * person had deleted back beside the restored ones ("Liability is capped.Liability is capped."),
 * or, with the step's words gone in the restore, silently took back an older one. Known by the
 * snapshot the server keeps of the text before each restore, which it adds to the index at once.
 */
export function useUndoEndsAtRestore(editor: Editor, records: ServerRoom | null): void {
  useEffect(() => {
    if (!records) return;
    const index = records.doc.getArray<SnapshotSummary>(RecordsKey.snapshots);
    const onChange = (event: Y.YArrayEvent<SnapshotSummary>) => {
      const restored = event.changes.delta.some((change) => Array.isArray(change.insert) && change.insert.some((s: SnapshotSummary) => s.reason === 'restore'));
      if (restored && !editor.isDestroyed) yUndoPluginKey.getState(editor.state)?.undoManager.clear();
    };
    index.observe(onChange);
    return () => index.unobserve(onChange);
  }, [editor, records]);
}

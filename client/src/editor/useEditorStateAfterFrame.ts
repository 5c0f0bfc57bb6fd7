import { useMemo, useRef, useSyncExternalStore } from 'react';
import type { Editor } from '@tiptap/core';
import { coalesceAfterFrame } from '../ui/afterNextFrame';

function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const keys = Object.keys(a) as (keyof T)[];
  return keys.length === Object.keys(b).length && keys.every((k) => Object.is(a[k], b[k]));
}

/**
 * What a component shows of the editor's state (the toolbar's active marks, whether the text is
 * empty), read once after the frame that follows a change instead of inside every transaction.
 * Tiptap's useEditorState runs its selector in each transaction: in the task of every keystroke
 * and in the frame of every remote one (`editor.can().undo()` alone builds a command chain). A
 * toolbar that updates one frame after the text is not something a person can see.
 */
export function useEditorStateAfterFrame<T>(editor: Editor, select: (editor: Editor) => T): T {
  const selectRef = useRef(select);
  selectRef.current = select;
  const store = useMemo(() => {
    let value = selectRef.current(editor);
    const listeners = new Set<() => void>();
    const reread = coalesceAfterFrame(() => {
      if (editor.isDestroyed) return;
      const next = selectRef.current(editor);
      if (shallowEqual(next, value)) return;
      value = next;
      for (const listener of listeners) listener();
    });
    return {
      get: () => value,
      subscribe(listener: () => void) {
        listeners.add(listener);
        if (listeners.size === 1) editor.on('transaction', reread.schedule);
        return () => {
          listeners.delete(listener);
          if (listeners.size > 0) return;
          editor.off('transaction', reread.schedule);
          reread.cancel();
        };
      },
    };
  }, [editor]);
  return useSyncExternalStore(store.subscribe, store.get);
}

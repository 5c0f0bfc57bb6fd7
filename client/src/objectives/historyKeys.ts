import type { KeyboardEvent } from 'react';

/** What an undo or redo shortcut asks for (Ctrl or Cmd with Z, Shift+Z or Y), or null for any other key. */
export function historyKey(event: KeyboardEvent): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  return key === 'y' ? 'redo' : null;
}

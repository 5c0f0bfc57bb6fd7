import { useCallback, useSyncExternalStore } from 'react';
import type { CollabSession } from './openSession';
import { isBindingHeld, onBindingHold } from './bindingHold';

/**
 * Whether a long copy of the text is being applied in pieces while the editor waits for it
 * (bindingHold.ts): after a long absence, the changes others made, 256 KB or more, take a moment
 * during which the text cannot be edited.
 */
export function useCatchingUp(session: CollabSession | null): boolean {
  const doc = session?.ydoc;
  const subscribe = useCallback((changed: () => void) => (doc ? onBindingHold(doc, changed) : () => {}), [doc]);
  return useSyncExternalStore(subscribe, () => (doc ? isBindingHeld(doc) : false));
}

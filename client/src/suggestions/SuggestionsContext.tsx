import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useAgreement } from '../agreement/AgreementContext';
import { SuggestionsController, type SuggestionsSnapshot } from './SuggestionsController';

const Context = createContext<SuggestionsController | null>(null);

/** Suggestions of the open agreement, the editing mode and the draft, for the editor and the panel. */
export function SuggestionsProvider({ children }: { children: ReactNode }) {
  const { view, token, records, session } = useAgreement();
  const [controller] = useState(() => new SuggestionsController(view, token));
  const recordsDoc = records?.doc ?? null;
  useEffect(() => controller.followRecords(recordsDoc), [controller, recordsDoc]);
  useEffect(() => controller.setContentDoc(session?.ydoc ?? null), [controller, session]);
  useEffect(() => () => controller.destroy(), [controller]);
  useEffect(() => controller.holdPageWhileUnsent(), [controller]);
  return <Context.Provider value={controller}>{children}</Context.Provider>;
}

/** The suggestions controller, or null outside a {@link SuggestionsProvider}. */
export function useSuggestionsController(): SuggestionsController | null {
  return useContext(Context);
}

const noSubscription = () => () => {};

/** Whether the person's edits become suggestions now; re-renders only when that flips (not on each keystroke of a draft). */
export function useSuggesting(): boolean {
  const controller = useContext(Context);
  return useSyncExternalStore(controller?.subscribe ?? noSubscription, () => controller?.suggesting ?? false);
}

/** The suggestions state, re-rendering on each change; only inside a {@link SuggestionsProvider}. */
export function useSuggestions(): [SuggestionsController, SuggestionsSnapshot] {
  const controller = useContext(Context);
  if (!controller) throw new Error('useSuggestions outside a SuggestionsProvider');
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  return [controller, snapshot];
}

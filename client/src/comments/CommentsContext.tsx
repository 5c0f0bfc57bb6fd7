import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useAgreement } from '../agreement/AgreementContext';
import { CommentsController, type CommentsSnapshot } from './CommentsController';

const Context = createContext<CommentsController | null>(null);

/** Threads of the open agreement, shared and private, for the editor's highlights and the panel. */
export function CommentsProvider({ children }: { children: ReactNode }) {
  const { view, records, caucus, session } = useAgreement();
  const [controller] = useState(() => new CommentsController(view));
  const recordsDoc = records?.doc ?? null;
  const caucusDoc = caucus?.doc ?? null;
  useEffect(() => controller.followRoom('shared', recordsDoc), [controller, recordsDoc]);
  useEffect(() => controller.followRoom('caucus', caucusDoc), [controller, caucusDoc]);
  useEffect(() => controller.setContentDoc(session?.ydoc ?? null), [controller, session]);
  useEffect(() => controller.setParty(view.me.party), [controller, view.me.party]);
  return <Context.Provider value={controller}>{children}</Context.Provider>;
}

/** The comments controller, or null outside a {@link CommentsProvider} (an editor without threads). */
export function useCommentsController(): CommentsController | null {
  return useContext(Context);
}

/** The comments state, re-rendering on each change; only inside a {@link CommentsProvider}. */
export function useComments(): [CommentsController, CommentsSnapshot] {
  const controller = useContext(Context);
  if (!controller) throw new Error('useComments outside a CommentsProvider');
  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  return [controller, snapshot];
}

import { createContext, useContext, type ReactNode } from 'react';
import type { AgreementView } from '#shared/protocol';
import { caucusRoom, recordsRoom } from '#shared/rooms';
import type { CollabSession } from '../session/openSession';
import { useServerRoom, type ServerRoom } from '../session/useServerRoom';

/** What every panel of an open agreement needs: who I am, my token, the live rooms. */
export interface AgreementContextValue {
  view: AgreementView;
  token: string;
  /** The agreement text's live session (null while opening). */
  session: CollabSession | null;
  /** The server-written records room: threads, stances, phase, snapshots, activity. */
  records: ServerRoom | null;
  /** My party's private caucus room (null for people without a party). */
  caucus: ServerRoom | null;
}

const Context = createContext<AgreementContextValue | null>(null);

export function AgreementProvider({
  view,
  token,
  session,
  children,
}: {
  view: AgreementView;
  token: string;
  session: CollabSession | null;
  children: ReactNode;
}) {
  const records = useServerRoom(recordsRoom(view.id), token);
  const caucus = useServerRoom(view.me.party ? caucusRoom(view.id, view.me.party) : null, token);
  return <Context.Provider value={{ view, token, session, records, caucus }}>{children}</Context.Provider>;
}

/** The open agreement; only inside {@link AgreementProvider}. */
export function useAgreement(): AgreementContextValue {
  const value = useContext(Context);
  if (!value) throw new Error('useAgreement outside an AgreementProvider');
  return value;
}

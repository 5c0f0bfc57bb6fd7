import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { AgreementView } from '#shared/protocol';
import { caucusRoom, recordsRoom } from '#shared/rooms';
import type { CollabSession } from '../session/openSession';
import { useServerRoom, type ServerRoom } from '../session/useServerRoom';

/** Who I am in the open agreement: fixed while it is open. */
export interface AgreementAccess {
  view: AgreementView;
  token: string;
}

/** The open agreement's live rooms: each arrives once while it opens. */
export interface AgreementRooms {
  /** The agreement text's live session (null while opening). */
  session: CollabSession | null;
  /** The server-written records room: threads, stances, phase, snapshots, activity. */
  records: ServerRoom | null;
  /** My party's private caucus room (null for people without a party). */
  caucus: ServerRoom | null;
}

/** What every panel of an open agreement needs: who I am, my token, the live rooms. */
export type AgreementContextValue = AgreementAccess & AgreementRooms;

// Two contexts: most views need only who I am, and must not render again as each room arrives
// (the 20 objective views of a long agreement did, five times during its load).
const AccessContext = createContext<AgreementAccess | null>(null);
const RoomsContext = createContext<AgreementRooms | null>(null);
// And the records room alone, for views repeated per objective (the stance bars) that need no other room.
const RecordsContext = createContext<ServerRoom | null>(null);

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
  const access = useMemo(() => ({ view, token }), [view, token]);
  const rooms = useMemo(() => ({ session, records, caucus }), [session, records, caucus]);
  return (
    <AccessContext.Provider value={access}>
      <RoomsContext.Provider value={rooms}>
        <RecordsContext.Provider value={records}>{children}</RecordsContext.Provider>
      </RoomsContext.Provider>
    </AccessContext.Provider>
  );
}

/** Who I am in the open agreement; only inside {@link AgreementProvider}. */
export function useAgreementAccess(): AgreementAccess {
  const access = useContext(AccessContext);
  if (!access) throw new Error('useAgreementAccess outside an AgreementProvider');
  return access;
}

/** The records room alone (null until it is opened); renders again only when it arrives. */
export function useRecordsRoom(): ServerRoom | null {
  return useContext(RecordsContext);
}

/** The open agreement with its rooms (renders again as each room arrives); only inside {@link AgreementProvider}. */
export function useAgreement(): AgreementContextValue {
  const access = useAgreementAccess();
  const rooms = useContext(RoomsContext);
  if (!rooms) throw new Error('useAgreement outside an AgreementProvider');
  return { ...access, ...rooms };
}

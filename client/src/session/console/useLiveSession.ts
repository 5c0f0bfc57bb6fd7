import { RecordsKey } from '#shared/records';
import { useMemo } from 'react';
import { type ActionItem, type ConsentRound, type LiveSession, type Minutes, type ParkedPoint } from '#shared/sessions';
import { useAgreement } from '../../agreement/AgreementContext';
import { useRecordsMap } from '../../objectives/useRecords';

export interface SessionRecords {
  /** The session being planned or run (an agreement has at most one). */
  active: LiveSession | null;
  /** Ended sessions, newest first. */
  past: LiveSession[];
  rounds: Record<string, ConsentRound>;
  parked: ParkedPoint[];
  actions: ActionItem[];
  minutes: Record<string, Minutes>;
}

/** The live session records of the open agreement, as the server wrote them into the records room. */
export function useLiveSession(): SessionRecords {
  const { records } = useAgreement();
  const sessions = useRecordsMap<LiveSession>(records, RecordsKey.sessions);
  const rounds = useRecordsMap<ConsentRound>(records, RecordsKey.consentRounds);
  const parked = useRecordsMap<ParkedPoint>(records, RecordsKey.parkedPoints);
  const actions = useRecordsMap<ActionItem>(records, RecordsKey.actions);
  const minutes = useRecordsMap<Minutes>(records, RecordsKey.minutes);
  return useMemo(() => {
    const all = Object.values(sessions);
    return {
      active: all.find((s) => s.status !== 'ended') ?? null,
      past: all.filter((s) => s.status === 'ended').sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? '')),
      rounds,
      parked: Object.values(parked).sort((a, b) => a.parkedAt.localeCompare(b.parkedAt)),
      actions: Object.values(actions).sort((a, b) => a.at.localeCompare(b.at)),
      minutes,
    };
  }, [sessions, rounds, parked, actions, minutes]);
}

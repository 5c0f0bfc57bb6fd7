import type * as Y from 'yjs';
import type { RoomExtension } from '../../rooms/extension';
import type { PresenceScreen } from '../../rooms/presenceScreen';
import type { RoomManager } from '../../rooms/RoomManager';
import { followingRecords } from '../../rooms/recordsCompanion';
import { activeSession, sessionsMap } from './sessionRecords';

/**
 * During a caucus break a negotiator's caret and selection in the text show only to their own party:
 * the other side would read which clause they debate. Everyone else, the broker included, sees them
 * as present and `inCaucus`, with no caret: the broker keeps the process fair by knowing no more of a
 * party's deliberation than the other parties do (the caucus rooms are closed to the broker too). The
 * broker's, legal reviewers' and observers' presence belongs to no party and shows to everyone.
 */
export const CAUCUS_SCREEN: PresenceScreen = {
  shows(viewer, owner) {
    // Nobody known speaks for it (never so for a live state): shown in full to nobody while the break runs.
    if (!owner) return false;
    if (owner.role !== 'negotiator' || typeof owner.party !== 'string') return true;
    return viewer?.party === owner.party;
  },
  veil(state) {
    const user = typeof state.user === 'object' && state.user !== null ? state.user : {};
    return { user: { ...user, inCaucus: true } };
  },
};

/** When the running session's caucus break ends (ms since the epoch), if one runs now. */
function breakEndsAt(records: Y.Doc, now: number): number | undefined {
  const session = activeSession(records);
  if (session?.status !== 'running' || !session.caucus) return undefined;
  const endsAt = Date.parse(session.caucus.endsAt);
  return endsAt > now ? endsAt : undefined;
}

/**
 * Keeps each live text room's presence screened while its agreement's caucus break runs, from its
 * records (followingRecords); the screen lifts when the broker ends the break, the session ends, or
 * the break's time is up. A text room is handed out only once this is known, so nobody joining
 * during a break is sent a caret first.
 */
export function caucusScreen(rooms: RoomManager): RoomExtension {
  return followingRecords(rooms, (room, records) => {
    const sessions = sessionsMap(records.doc);
    let lift: NodeJS.Timeout | undefined;
    const follow = () => {
      clearTimeout(lift);
      const now = Date.now();
      const endsAt = breakEndsAt(records.doc, now);
      room.screenPresence(endsAt === undefined ? undefined : CAUCUS_SCREEN);
      // Checked again when the time is up (earlier timers fire late, never early enough to matter: it re-arms).
      if (endsAt !== undefined) lift = setTimeout(follow, endsAt - now + 1).unref();
    };
    follow();
    sessions.observe(follow);
    return () => {
      sessions.unobserve(follow);
      clearTimeout(lift);
    };
  });
}

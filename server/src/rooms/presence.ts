import type * as awarenessProtocol from 'y-protocols/awareness';
import { awarenessEntries, encodeAwarenessEntries, isBehindRemoval, overridesPresence, type AwarenessEntry } from './awarenessGuard';

/**
 * Awareness client ids one connection may speak for in its life. A stock client uses one (its
 * Y.Doc's id; Yjs keeps the awareness id when it changes the doc's after a conflict), a reconnect
 * is a new connection, and a second tab its own. Without a bound one message of 200,000 made-up
 * ids was stamped and sent to everyone (24 MB), and every stock client, which re-sends each
 * change it receives, was closed for sending it back.
 */
export const MAX_PRESENCE_IDS = 4;

/**
 * Presence clocks a room keeps for ids nobody shows now (each page load is a new id). Whose an id
 * was is kept apart, in the room's bindings (features/snapshots/presenceBindings.ts for a text).
 */
export const MAX_GONE_PRESENCE_CLOCKS = 100;

/** What the presence rules need to know of a connection. */
export interface PresenceHolder {
  /** Awareness client ids this connection speaks for now; removed when it leaves. */
  awarenessIds: Set<number>;
  /** Every id it has spoken for (at most {@link MAX_PRESENCE_IDS}): it may take back these, and no more. */
  claimedIds: Set<number>;
  personId?: string;
}

/** Whose presence each awareness id has been in a room: the first person shown under it keeps it. */
export interface PresenceBindings {
  personOf(clientId: number): string | undefined;
  /** Records that `clientId` is `personId`'s presence, unless it is bound already. */
  bind(clientId: number, personId: string): void;
}

/** Who speaks, and spoke, for which awareness ids in a room. */
export interface PresenceBook {
  /** The connection speaking for `clientId` now. */
  holderOf(clientId: number): PresenceHolder | undefined;
  /** The person `clientId` is known to be: shown under it in this room before, or who wrote the text with it. */
  personOf(clientId: number): string | undefined;
  /** Records that `clientId` is `personId`'s presence. */
  bind(clientId: number, personId: string): void;
}

export interface AdmittedPresence {
  /** The entries the connection may apply (its own presence), or null when none is left. */
  update: Uint8Array | null;
  /** Entries that would have changed another person's presence and were ignored (a stale stock timeout, or worse). */
  ignored: number;
  /** Entries under ids past the connection's {@link MAX_PRESENCE_IDS}, dropped. */
  overLimit: number;
  /** Own client ids whose state arrived behind a server-side removal: tell the sender, so it re-announces. */
  behindRemoval: number[];
}

/**
 * Sorts one awareness update from `connection` into what it may do. A connection adds and
 * updates only its own presence, under at most {@link MAX_PRESENCE_IDS} ids. An id is one
 * person's for the room's life: nobody else may take it, even once its holder has left or timed
 * out (a squatter's presence hid the owner's, and the text refused the owner's writing under it).
 * The same person reconnecting takes their id back, even before the server noticed their old
 * socket died. Removing someone else's entry is what every stock client does when that person has
 * been silent for 30 s (a sleeping laptop): it is ignored quietly, because the server times
 * presence out itself and tells everyone.
 */
export function admitPresence(awareness: awarenessProtocol.Awareness, update: Uint8Array, connection: PresenceHolder, book: PresenceBook): AdmittedPresence {
  // One entry per id (the newest): the same id a thousand times in one message is one change, not a thousand to relay.
  const kept = new Map<number, AwarenessEntry>();
  const behindRemoval = new Set<number>();
  let ignored = 0;
  let overLimit = 0;
  for (const entry of awarenessEntries(update)) {
    const id = entry.clientId;
    const holder = book.holderOf(id);
    if (holder !== connection) {
      if (!overridesPresence(awareness, entry)) {
        // An echo (the stock client re-sends what it receives, with the clock it received), or a state
        // behind a removal the server made: the sender, if it is that id's person, hears of the removal,
        // bumps its clock and announces itself again, and claims the id with that.
        if (isBehindRemoval(awareness, entry) && maySpeakFor(connection, holder, book.personOf(id)) && behindRemoval.size < MAX_PRESENCE_IDS)
          behindRemoval.add(id);
        continue;
      }
      if (!maySpeakFor(connection, holder, book.personOf(id))) {
        ignored++;
        continue;
      }
      if (entry.removes && !holder) continue; // nobody's presence: nothing to remove
      if (!entry.removes) {
        if (!connection.claimedIds.has(id) && connection.claimedIds.size >= MAX_PRESENCE_IDS) {
          overLimit++;
          continue;
        }
        connection.claimedIds.add(id);
        connection.awarenessIds.add(id);
        if (connection.personId !== undefined) book.bind(id, connection.personId);
      }
      // The same person's other connection (their reconnect, or a stock timeout of their own silent tab).
      holder?.awarenessIds.delete(id);
    } else if (isBehindRemoval(awareness, entry)) {
      behindRemoval.add(id);
      continue;
    }
    const earlier = kept.get(id);
    if (!earlier || entry.clock > earlier.clock || (entry.clock === earlier.clock && entry.removes)) kept.set(id, entry);
  }
  return { update: kept.size > 0 ? encodeAwarenessEntries([...kept.values()]) : null, ignored, overLimit, behindRemoval: [...behindRemoval] };
}

/**
 * Whether `connection` may speak for an id held by `holder` now (if anyone) and known as
 * `person`'s (if anyone's): only the same person may, and anyone for an id nobody had.
 */
function maySpeakFor(connection: PresenceHolder, holder: PresenceHolder | undefined, person: string | undefined): boolean {
  const owner = holder ? holder.personId : person;
  if (holder === undefined && person === undefined) return true;
  return owner !== undefined && owner === connection.personId;
}

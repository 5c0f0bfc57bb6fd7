import type * as awarenessProtocol from 'y-protocols/awareness';
import { awarenessEntries, encodeAwarenessEntries, isBehindRemoval, overridesPresence, type AwarenessEntry } from './awarenessGuard';

/** What the presence rules need to know of a connection. */
export interface PresenceHolder {
  /** Awareness client ids this connection speaks for; removed when it leaves. */
  awarenessIds: Set<number>;
  personId?: string;
}

export interface AdmittedPresence {
  /** The entries the connection may apply (its own presence), or null when none is left. */
  update: Uint8Array | null;
  /** Entries that changed someone else's presence and were ignored (a stale stock timeout, or worse). */
  ignored: AwarenessEntry[];
  /** Own client ids whose state arrived behind a server-side removal: tell the sender, so it re-announces. */
  behindRemoval: number[];
}

/**
 * Sorts one awareness update from `connection` into what it may do. A connection adds and
 * updates only its own presence. Removing someone else's entry is what every stock client
 * does when that person has been silent for 30 s (a sleeping laptop): it is ignored quietly,
 * because the server times presence out itself and tells everyone. The same person
 * reconnecting before the server noticed their old socket died takes their presence over.
 */
export function admitPresence(
  awareness: awarenessProtocol.Awareness,
  update: Uint8Array,
  connection: PresenceHolder,
  ownerOf: (clientId: number) => PresenceHolder | undefined,
): AdmittedPresence {
  const kept: AwarenessEntry[] = [];
  const ignored: AwarenessEntry[] = [];
  const behindRemoval: number[] = [];
  for (const entry of awarenessEntries(update)) {
    const owner = ownerOf(entry.clientId);
    if (owner && owner !== connection) {
      if (!overridesPresence(awareness, entry)) continue; // an echo with an old clock: harmless, nothing to apply
      if (owner.personId === undefined || owner.personId !== connection.personId) {
        ignored.push(entry);
        continue;
      }
      owner.awarenessIds.delete(entry.clientId);
    }
    if (!owner && entry.removes) continue; // nobody's presence: nothing to remove
    if (!entry.removes) connection.awarenessIds.add(entry.clientId);
    if (isBehindRemoval(awareness, entry)) behindRemoval.push(entry.clientId);
    else kept.push(entry);
  }
  return { update: kept.length > 0 ? encodeAwarenessEntries(kept) : null, ignored, behindRemoval };
}

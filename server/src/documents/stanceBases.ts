import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import { stanceKey, type StanceRecord } from '#shared/objectives';
import type { RoomManager } from '../rooms/RoomManager';
import { readRoom, writeRoom } from '../records/write';

/**
 * The text as it stood when each current stance was stated, so "what changed since" can
 * show the attributed diff of an objective from that moment to now. Kept in a server-private
 * room (`parseRoom` refuses the name, so no websocket opens it), one whole document state per
 * objective and text hash that a current stance refers to; states no stance refers to any
 * more are dropped, so the room holds at most one per objective and party.
 */
export function basesRoom(agreementId: string): string {
  return `${agreementId}.bases`;
}

const BASES = 'bases';
const basisKey = (objectiveId: string, hash: string) => `${objectiveId}:${hash}`;

/** Keeps `state` as the basis of stances on `objectiveId` at `hash`, and drops bases no current stance uses. */
export async function keepBasis(rooms: RoomManager, agreementId: string, objectiveId: string, hash: string, state: Uint8Array): Promise<void> {
  const inUse = await readRoom(rooms, recordsRoom(agreementId), (doc) => {
    const keys = new Set<string>();
    for (const stance of doc.getMap<StanceRecord>(RecordsKey.stances).values()) keys.add(basisKey(stance.objectiveId, stance.contentHash));
    return keys;
  });
  await writeRoom(rooms, basesRoom(agreementId), (doc) => {
    const bases = doc.getMap<Uint8Array>(BASES);
    const key = basisKey(objectiveId, hash);
    if (!bases.has(key)) bases.set(key, state);
    for (const old of [...bases.keys()]) if (!inUse.has(old)) bases.delete(old);
  });
}

/** The stance of a party on an objective, with the text state it was stated on (undefined parts when unknown). */
export async function stanceWithBasis(
  rooms: RoomManager,
  agreementId: string,
  objectiveId: string,
  partyId: string,
): Promise<{ stance?: StanceRecord; state?: Uint8Array }> {
  const stance = await readRoom(rooms, recordsRoom(agreementId), (doc) => doc.getMap<StanceRecord>(RecordsKey.stances).get(stanceKey(objectiveId, partyId)));
  if (!stance) return {};
  const state = await readRoom(rooms, basesRoom(agreementId), (doc) => doc.getMap<Uint8Array>(BASES).get(basisKey(objectiveId, stance.contentHash)));
  return { stance, state };
}

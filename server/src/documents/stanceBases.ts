import { createHash } from 'node:crypto';
import { RecordsKey } from '#shared/records';
import { isValidId, recordsRoom } from '#shared/rooms';
import { stanceKey, type StanceRecord } from '#shared/objectives';
import type { RoomManager } from '../rooms/RoomManager';
import { readRoom, writeRoom } from '../records/write';

/**
 * The text as it stood when each current stance was stated, so "what changed since" can
 * show the attributed diff of an objective from that moment to now. Kept in server-private
 * rooms (`parseRoom` refuses the names, so no websocket opens them), one per objective, with
 * one whole document state per text hash that a current stance on it refers to; states no
 * stance refers to any more are dropped, so an objective's room holds at most one per party.
 * A room per objective, not one for the agreement: each of these states is the whole text
 * (1 MB for a long agreement negotiated for months), and every stance and every reading
 * loaded all of them.
 */
export function basesRoom(agreementId: string, objectiveId: string): string {
  // The name becomes a file name in the embedded storage, and an objective's id is whatever a
  // client wrote into the text: one that could not be a room name is named by its digest.
  const name = isValidId(objectiveId) ? objectiveId : `digest-${createHash('sha256').update(objectiveId).digest('hex').slice(0, 40)}`;
  return `${agreementId}.bases.${name}`;
}

/** Where every objective's bases were kept before each had a room: read for older stances, never written. */
function agreementBasesRoom(agreementId: string): string {
  return `${agreementId}.bases`;
}

const BASES = 'bases';
const basisKey = (objectiveId: string, hash: string) => `${objectiveId}:${hash}`;

/** Keeps `state` as the basis of stances on `objectiveId` at `hash`, and drops that objective's bases no current stance uses. */
export async function keepBasis(rooms: RoomManager, agreementId: string, objectiveId: string, hash: string, state: Uint8Array): Promise<void> {
  const inUse = await readRoom(rooms, recordsRoom(agreementId), (doc) => {
    const keys = new Set<string>();
    for (const stance of doc.getMap<StanceRecord>(RecordsKey.stances).values()) {
      if (stance.objectiveId === objectiveId) keys.add(basisKey(stance.objectiveId, stance.contentHash));
    }
    return keys;
  });
  await writeRoom(rooms, basesRoom(agreementId, objectiveId), (doc) => {
    const bases = doc.getMap<Uint8Array>(BASES);
    const key = basisKey(objectiveId, hash);
    if (!bases.has(key)) bases.set(key, state);
    // Only this objective's: a room named by a digest might be another objective's too.
    for (const old of [...bases.keys()]) if (old.startsWith(`${objectiveId}:`) && !inUse.has(old)) bases.delete(old);
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
  const key = basisKey(objectiveId, stance.contentHash);
  const basisIn = (room: string) => readRoom(rooms, room, (doc) => doc.getMap<Uint8Array>(BASES).get(key));
  const state = (await basisIn(basesRoom(agreementId, objectiveId))) ?? (await basisIn(agreementBasesRoom(agreementId)));
  return { stance, state };
}

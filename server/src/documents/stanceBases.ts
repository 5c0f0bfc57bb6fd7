import { createHash } from 'node:crypto';
import type * as Y from 'yjs';
import { RecordsKey } from '#shared/records';
import { isValidId, recordsRoom } from '#shared/rooms';
import { stanceKey, type StanceRecord } from '#shared/objectives';
import type { RoomManager } from '../rooms/RoomManager';
import { readRoom, writeRoom } from '../records/write';
import { SerialByKey } from '../serialByKey';

/**
 * The text as it stood when each current stance was stated, so "what changed since" can show
 * the attributed diff of an objective from that moment to now. Each such text is a whole
 * document state (1 MB for a long agreement negotiated for months), so each distinct text is
 * kept once, in a room of its own named by its digest: a party agreeing to twenty objectives
 * of an unchanged text keeps one copy, not twenty. A small index room says which text each
 * stance (objective and content hash) was stated on; a text no current stance refers to any
 * more, or only by a party's stances past its {@link TEXTS_KEPT_PER_PARTY} latest texts, is
 * emptied. All of these are server-private rooms (`parseRoom` refuses the names, so no
 * websocket opens them), named apart from the older layout's `<id>.bases.<objective>`, whose
 * last part an objective's id chooses.
 */
export function basesIndexRoom(agreementId: string): string {
  return `${agreementId}.stance-texts`;
}

/** The room that keeps one text, by the digest of its state. */
export function basisTextRoom(agreementId: string, digest: string): string {
  return `${agreementId}.stance-texts.${digest}`;
}

/**
 * Where one objective's stances' texts were kept before texts were kept once each: read for
 * older stances, and emptied of those no current stance uses.
 */
export function basesRoom(agreementId: string, objectiveId: string): string {
  // The name becomes a file name in the embedded storage, and an objective's id is whatever a
  // client wrote into the text: one that could not be a room name is named by its digest.
  const name = isValidId(objectiveId) ? objectiveId : `digest-${sha256(objectiveId).slice(0, 40)}`;
  return `${agreementId}.bases.${name}`;
}

/** Where every objective's bases were kept before each had a room: read for older stances, never written. */
function agreementBasesRoom(agreementId: string): string {
  return `${agreementId}.bases`;
}

/**
 * Texts kept for one party's stances: those of its latest stances, up to this many distinct texts.
 * A text per stance is a whole document; without a cap a negotiator could keep one per objective,
 * as many objectives as the text holds, by editing between stances. An older stance past it shows
 * that its text is no longer kept.
 */
export const TEXTS_KEPT_PER_PARTY = 50;

const BASES = 'bases';
const REFS = 'refs';
const TEXT = 'state';
const basisKey = (objectiveId: string, hash: string) => `${objectiveId}:${hash}`;

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One agreement's bases change one at a time: a text being dropped must not be one another stance just pointed to. */
const writes = new SerialByKey();

/** Keeps `state` as the basis of stances on `objectiveId` at `hash`, and drops the texts no current stance uses. */
export function keepBasis(rooms: RoomManager, agreementId: string, objectiveId: string, hash: string, state: Uint8Array): Promise<void> {
  return writes.run(agreementId, async () => {
    const stances = await readRoom(rooms, recordsRoom(agreementId), (doc) => [...doc.getMap<StanceRecord>(RecordsKey.stances).values()]);
    const key = basisKey(objectiveId, hash);
    const digest = sha256(state);
    // The text first, then what points to it: a failure in between leaves a text unused, never a stance without its text.
    // A stance at a hash another stance was stated at shares that one's text, as before.
    const needsText = await readRoom(rooms, basesIndexRoom(agreementId), (doc) => {
      const refs = doc.getMap<string>(REFS);
      return !refs.has(key) && ![...refs.values()].includes(digest);
    });
    if (needsText) {
      await writeRoom(rooms, basisTextRoom(agreementId, digest), (doc) => {
        if (!doc.getMap<Uint8Array>(TEXT).has(TEXT)) doc.getMap<Uint8Array>(TEXT).set(TEXT, state);
      });
    }
    const { dropped, inUse } = await writeRoom(rooms, basesIndexRoom(agreementId), (doc) => {
      const refs = doc.getMap<string>(REFS);
      if (!refs.has(key)) refs.set(key, digest);
      const inUse = keysKept(stances, (k) => refs.get(k));
      const before = new Set(refs.values());
      for (const old of [...refs.keys()]) if (!inUse.has(old)) refs.delete(old);
      const after = new Set(refs.values());
      return { dropped: [...before].filter((d) => !after.has(d)), inUse };
    });
    for (const unused of dropped) await writeRoom(rooms, basisTextRoom(agreementId, unused), (doc) => doc.getMap<Uint8Array>(TEXT).delete(TEXT));
    await dropOlderBases(rooms, agreementId, objectiveId, inUse);
  });
}

/**
 * The stances (as objective and content hash) whose texts are kept: each party's, newest first,
 * until that party holds {@link TEXTS_KEPT_PER_PARTY} distinct texts. A text shared with another
 * party's kept stance stays for that party's sake. `digestOf` names a stance's text (none for one
 * kept in an older layout, which then counts as a text of its own).
 */
export function keysKept(stances: Iterable<StanceRecord>, digestOf: (key: string) => string | undefined, perParty = TEXTS_KEPT_PER_PARTY): Set<string> {
  const byParty = new Map<string, StanceRecord[]>();
  for (const stance of stances) {
    const own = byParty.get(stance.party);
    if (own) own.push(stance);
    else byParty.set(stance.party, [stance]);
  }
  const kept = new Set<string>();
  for (const own of byParty.values()) {
    const texts = new Set<string>();
    for (const stance of own.sort((a, b) => b.at.localeCompare(a.at))) {
      const key = basisKey(stance.objectiveId, stance.contentHash);
      const text = digestOf(key) ?? key;
      if (!texts.has(text) && texts.size >= perParty) continue;
      texts.add(text);
      kept.add(key);
    }
  }
  return kept;
}

/** Empties this objective's room of the older layout of the texts no current stance uses. */
async function dropOlderBases(rooms: RoomManager, agreementId: string, objectiveId: string, inUse: Set<string>): Promise<void> {
  const room = basesRoom(agreementId, objectiveId);
  // Only this objective's: a room named by a digest might be another objective's too.
  const unused = (doc: Y.Doc) => [...doc.getMap<Uint8Array>(BASES).keys()].filter((old) => old.startsWith(`${objectiveId}:`) && !inUse.has(old));
  if ((await readRoom(rooms, room, unused)).length === 0) return;
  await writeRoom(rooms, room, (doc) => unused(doc).forEach((old) => doc.getMap<Uint8Array>(BASES).delete(old)));
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
  const digest = await readRoom(rooms, basesIndexRoom(agreementId), (doc) => doc.getMap<string>(REFS).get(key));
  if (digest) return { stance, state: await readRoom(rooms, basisTextRoom(agreementId, digest), (doc) => doc.getMap<Uint8Array>(TEXT).get(TEXT)) };
  // Stances kept in an older layout: one room per objective, and before that one for the agreement.
  const basisIn = (room: string) => readRoom(rooms, room, (doc) => doc.getMap<Uint8Array>(BASES).get(key));
  const state = (await basisIn(basesRoom(agreementId, objectiveId))) ?? (await basisIn(agreementBasesRoom(agreementId)));
  return { stance, state };
}

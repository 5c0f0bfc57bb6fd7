import { createHash } from 'node:crypto';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { CONTENT_FIELD, contentRoom } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import { findObjectives, type ObjectiveInfo } from '#shared/objectives';
import type { RoomManager } from '../rooms/RoomManager';
import { SERVER_ORIGIN } from '../rooms/origin';

/** SHA-256 (hex) of an objective's canonical text: what a stance is tied to. */
export function objectiveHash(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** An objective with the hash of its current text. */
export interface HashedObjective extends ObjectiveInfo {
  hash: string;
}

export function objectivesOf(doc: JSONContent): HashedObjective[] {
  return findObjectives(doc).map((o) => ({ ...o, hash: objectiveHash(o.canonical) }));
}

/** Writes a new agreement's first text (its template) as the server, before anyone joins. */
export async function writeInitialDocument(rooms: RoomManager, agreementId: string, doc: JSONContent): Promise<void> {
  await rooms.with(contentRoom(agreementId), (room) => {
    room.doc.transact(() => {
      prosemirrorJSONToYXmlFragment(documentSchema(), doc, room.doc.getXmlFragment(CONTENT_FIELD));
    }, SERVER_ORIGIN);
  });
}

import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { CONTENT_FIELD, contentRoom } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import { findObjectives, type ObjectiveInfo } from '#shared/objectives';
import type { RoomManager } from '../rooms/RoomManager';
import { SERVER_ORIGIN } from '../rooms/origin';
import { readableContent } from './readableContent';

/** SHA-256 (hex) of an objective's canonical text: what a stance is tied to. */
export function objectiveHash(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * The agreement text as ProseMirror JSON, read with the shared schema. It reads a copy of
 * the live doc: y-tiptap deletes nodes the schema rejects while converting, and a read
 * must never change what people are editing.
 */
export async function readDocument(rooms: RoomManager, agreementId: string): Promise<JSONContent> {
  return documentOfState(await readState(rooms, agreementId));
}

/** The live text's whole state now. */
export function readState(rooms: RoomManager, agreementId: string): Promise<Uint8Array> {
  return rooms.with(contentRoom(agreementId), (room) => Y.encodeStateAsUpdate(room.doc));
}

/** A stored or captured state of the text as ProseMirror JSON. */
export function documentOfState(update: Uint8Array): JSONContent {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, update);
  const { content } = readableContent(copy);
  copy.destroy();
  return content as JSONContent;
}

/** An objective with the hash of its current text. */
export interface HashedObjective extends ObjectiveInfo {
  hash: string;
}

export async function readObjectives(rooms: RoomManager, agreementId: string): Promise<HashedObjective[]> {
  return objectivesOf(await readDocument(rooms, agreementId));
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

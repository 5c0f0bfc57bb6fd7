import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import type { TestServer } from './server';
import { contentString } from './clients';
import { longAgreement, reword, writeDocument } from './document';
import { waitFor } from './poll';

/** A room as stored on disk (once everything queued is written), replayed into a fresh doc. */
export async function storedDoc(server: TestServer, room: string): Promise<Y.Doc> {
  await server.app.ctx.storage.flush();
  const doc = new Y.Doc();
  for (const update of await server.app.ctx.storage.loadRoom(room)) Y.applyUpdate(doc, update);
  return doc;
}

/** What a room holds on disk, replayed: its text and its state vector (which any stray struct would change). */
export async function storedContent(server: TestServer, room: string): Promise<{ text: string; stateVector: number[] }> {
  const doc = await storedDoc(server, room);
  const result = { text: contentString(doc), stateVector: [...Y.encodeStateVector(doc)] };
  doc.destroy();
  return result;
}

/**
 * Stores `content` as a room's text, reworded `rounds` times (support/document.ts `reword`), as one
 * compacted state once the room has unloaded after its creation.
 */
export async function storeText(server: TestServer, room: string, content: JSONContent, rounds = 0): Promise<{ doc: Y.Doc; state: Uint8Array }> {
  const doc = await storedDoc(server, room);
  writeDocument(doc, content);
  reword(doc, rounds);
  await waitFor(() => !server.app.ctx.rooms.openRoomNames().includes(room), { what: 'the room unloaded after its creation' });
  const state = Y.encodeStateAsUpdate(doc);
  await server.app.ctx.storage.compactRoom(room, state);
  return { doc, state };
}

/** A room's text as `pages` pages reworded `rounds` times: what a person opens after months of negotiation. */
export function storeRewordedText(server: TestServer, room: string, rounds: number, pages = 40): Promise<{ doc: Y.Doc; state: Uint8Array }> {
  return storeText(server, room, longAgreement(pages), rounds);
}

/** Bytes of the stored rooms whose names start with `prefix` (the embedded storage's files; one may be compacted meanwhile). */
export async function storedFileBytes(dataDir: string, prefix: string): Promise<number> {
  const rooms = join(dataDir, 'rooms');
  let bytes = 0;
  for (const name of await readdir(rooms)) {
    if (name.startsWith(prefix)) bytes += (await stat(join(rooms, name)).catch(() => ({ size: 0 }))).size;
  }
  return bytes;
}

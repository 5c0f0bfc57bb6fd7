import * as Y from 'yjs';
import type { TestServer } from './server';
import { contentString } from './clients';

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

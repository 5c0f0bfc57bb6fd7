import { access, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '#shared/protocol';
import { encodeFrames } from '../../server/src/storage/updateLog';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { hostileSocket, updateFrame } from './support/payloads';

const harness = useHarness();

/** The paragraph {@link updateWithMissingHistory} types into. */
let paragraphOfMissingHistory: Uint8Array;

/** An update whose history (the paragraph it types into) the server never had. */
function updateWithMissingHistory(): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  doc.getXmlFragment('content').insert(0, [paragraph]);
  const before = Y.encodeStateVector(doc);
  paragraphOfMissingHistory = Y.encodeStateAsUpdate(doc);
  text.insert(0, 'typed into a paragraph nobody sent');
  return Y.encodeStateAsUpdate(doc, before);
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('finding 7: updates whose history is missing', () => {
  it('are refused on the socket, so they never sit in the room', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const negotiator = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const attacker = await hostileSocket(`${s.ws}/${f.agreement.id}?token=${negotiator}`);
    attacker.socket.send(updateFrame(updateWithMissingHistory()));
    const timer = setTimeout(() => attacker.socket.close(), 2000);
    expect(await attacker.closed).toBe(CloseCode.BadMessage);
    clearTimeout(timer);
    await s.app.ctx.rooms.with(f.agreement.id, (room) => expect(room.doc.store.pendingStructs).toBeNull());
  });

  it('one stored before the check does not block compaction: it is kept in the compacted state', async () => {
    const first = await harness.start();
    const f = await createAgreement(first);
    const id = f.agreement.id;
    await first.close();
    const pending = updateWithMissingHistory();
    await appendFile(join(first.dataDir, 'rooms', `${id}.log`), encodeFrames([pending]));

    const s = await harness.start({ dataDir: first.dataDir });
    const room = await s.app.ctx.rooms.acquire(id);
    expect(room.doc.store.pendingStructs).not.toBeNull();
    s.app.ctx.rooms.release(room);
    // Unloading compacts: the log goes, the state file keeps the pending update.
    await waitFor(async () => !(await exists(join(s.dataDir, 'rooms', `${id}.log`))), { what: 'the log to be compacted away' });
    const replay = new Y.Doc();
    const stored = await s.app.ctx.storage.loadRoom(id);
    for (const update of stored) Y.applyUpdate(replay, update);
    expect(replay.store.pendingStructs).not.toBeNull();
    expect(stored).toHaveLength(1);
    // The paragraph it was typed into arrives: the kept update applies, nothing was garbled.
    Y.applyUpdate(replay, paragraphOfMissingHistory);
    expect(replay.store.pendingStructs).toBeNull();
    expect(replay.getXmlFragment('content').toString()).toContain('typed into a paragraph nobody sent');
  });
});

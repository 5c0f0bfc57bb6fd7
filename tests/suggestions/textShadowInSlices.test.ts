import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { contentRoom } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import { followText, proseMirrorOf } from '../../server/src/features/suggestions/textShadow';
import { paragraphTexts } from '../support/document';
import { useHarness } from '../support/harness';
import { createAgreement } from '../support/server';
import { storeRewordedText } from '../support/stored';

// The first suggestion after two quiet minutes copied the whole text on the event loop (encoded, then
// applied at once): 450 to 550 ms for 40 pages reworded for months, during which no one's keystrokes
// moved. The copy is now made from the room's kept state, cut in the document worker, applied in slices.

const h = useHarness();

it('makes the copy of a long text a slice at a time, and the copy holds every change made meanwhile', { timeout: 60_000 }, async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  await storeRewordedText(s, room, 2);
  await s.app.ctx.rooms.with(room, async (r) => {
    const text = paragraphTexts(r.doc, 100)[3];
    // A change on every turn of the event loop while the copy is made: before, between and after its slices.
    let turns = 0;
    let making = true;
    const typeOnEachTurn = () => {
      if (!making) return;
      turns++;
      text.insert(0, 'x');
      setImmediate(typeOnEachTurn);
    };
    setImmediate(typeOnEachTurn);
    await followText(s.app.ctx.rooms, r);
    making = false;
    expect(turns).toBeGreaterThan(10);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(r.doc));
    const read = proseMirrorOf(r.doc);
    expect(read.toJSON()).toEqual(yXmlFragmentToProseMirrorRootNode(fresh.getXmlFragment('content'), documentSchema()).toJSON());
    expect(read.textContent).toContain('x'.repeat(turns));
  });
});

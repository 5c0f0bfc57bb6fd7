import { expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CloseCode } from '#shared/protocol';
import { contentRoom } from '#shared/rooms';
import { rawSocket, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement } from '../support/server';

const harness = useHarness();

/** A y-websocket sync update frame that adds a heading of `level` to the text. */
function headingFrame(level: unknown, text: string): Uint8Array {
  const doc = new Y.Doc();
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', level as string);
  heading.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment('content').insert(0, [heading]);
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 0);
  encoding.writeVarUint(frame, 2);
  encoding.writeVarUint8Array(frame, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(frame);
}

// The update gate and suggested blocks share one rule for attribute values (rooms/guards/schemaRules.ts):
// a heading's level is one the editor makes, 1 to 6; any other broke every export's headings.
it('the text takes headings of levels 1 to 6 and refuses any other level before it is applied', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const reader = harness.connect(s, f.agreement.id, f.brokerToken);
  await synced(reader);
  const textOnServer = () => s.app.ctx.rooms.with(contentRoom(f.agreement.id), (room) => room.doc.getXmlFragment('content').toString());

  const bad = await rawSocket(`${s.ws}/${f.agreement.id}?token=${f.brokerToken}`);
  bad.socket.send(headingFrame(99, 'Too deep'));
  const stillOpen = new Promise<{ code: string }>((resolve) => setTimeout(() => resolve({ code: 'still open after 5 s' }), 5000));
  expect((await Promise.race([bad.closed, stillOpen])).code).toBe(CloseCode.BadMessage);
  expect(await textOnServer()).not.toContain('Too deep');

  const good = await rawSocket(`${s.ws}/${f.agreement.id}?token=${f.brokerToken}`);
  good.socket.send(headingFrame(6, 'Fine'));
  await waitFor(async () => (await textOnServer()).includes('Fine'), { what: 'the level-6 heading' });
  good.socket.close();
});

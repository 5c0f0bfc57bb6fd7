import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { synced, type TestClient } from '../support/clients';
import { objective, paragraph, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { refusalsTo } from '../hostile/support/payloads';

// Stances are kept by objective id. Two people moving the same objective at once (each cuts it and
// pastes it elsewhere, keeping its id, as the editor does) left two objectives with one id: each
// party's stance showed on both, as agreed on one and as "text changed since" on the other, and a
// stance could be stated on only the first. An update may not bring an objective whose id another
// live objective has; the later mover is told and their page reloads the text as the server has it.
// Before: expected [ 'o1', 'o1' ] to deeply equal [ 'o1' ].
const harness = useHarness();

/** The ids of the live objectives, in order. */
const ids = (doc: Y.Doc) =>
  doc
    .getXmlFragment('content')
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'objective')
    .map((node) => node.getAttribute('id'));

/** Moves objective `id` to the end of the text, as a cut and paste in the editor does (its id kept). */
function moveToEnd(client: TestClient, id: string): void {
  const content = client.doc.getXmlFragment('content');
  const index = content.toArray().findIndex((node) => node instanceof Y.XmlElement && node.getAttribute('id') === id);
  client.doc.transact(() => {
    const moved = (content.get(index) as Y.XmlElement).clone();
    content.delete(index, 1);
    content.insert(content.length, [moved]);
  });
}

it('two people moving the same objective at once leave one objective with its id, not two', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = f.agreement.id;
  const nia = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId }));
  const broker = harness.connect(s, room, f.brokerToken);
  await Promise.all([synced(nia), synced(broker)]);
  writeDocument(broker.doc, { type: 'doc', content: [objective('o1', { title: 'Safe water' }), paragraph('Middle'), paragraph('End')] });
  await waitFor(() => ids(nia.doc).length === 1, { what: 'the objective at Nia' });
  const told = refusalsTo(nia);

  // Both move it while apart, then come back: the broker's move reaches the server first.
  nia.provider.disconnect();
  broker.provider.disconnect();
  moveToEnd(broker, 'o1');
  moveToEnd(nia, 'o1');
  broker.provider.connect();
  await synced(broker);
  await waitFor(() => s.app.ctx.rooms.with(room, (r) => ids(r.doc).length === 1 && r.doc.getXmlFragment('content').get(0).toString().includes('Middle')), {
    what: "the broker's move at the server",
  });
  nia.provider.connect();
  await waitFor(() => told.some((reason) => reason.includes('a second objective with the id o1')), { what: 'Nia told her move was refused' });

  expect(await s.app.ctx.rooms.with(room, (r) => ids(r.doc))).toEqual(['o1']);
  const listed = await api<{ objectives: { id: string }[] }>(s, 'GET', `/api/agreements/${room}/objectives`, undefined, f.brokerToken);
  expect(listed.body.objectives.map((o) => o.id)).toEqual(['o1']);
});

import { expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { contentString, paragraphText, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { CloseCode, MESSAGE_WRITER_IDS } from '#shared/protocol';
import { contentRoom } from '#shared/rooms';

const harness = useHarness();

// The app's own message naming the ids it wrote with (type 101) is read like any other: a malformed one
// (a count promising more ids than the frame holds) closes that one connection with BadMessage, which the
// stock client reconnects after (it stops for good only on 4400-4499); everyone else's session goes on.
it('a malformed naming of writer ids closes that connection alone; the stock client reconnects and syncs, the others keep typing', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const sender = harness.connect(s, room, f.brokerToken);
  const other = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId }));
  await Promise.all([synced(sender), synced(other)]);

  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_WRITER_IDS);
  encoding.writeVarUint(encoder, 5);
  encoding.writeVarUint(encoder, 1234);
  sender.provider.ws!.send(encoding.toUint8Array(encoder));

  await waitFor(() => sender.closes.length > 0, { what: 'the malformed naming refused' });
  expect(sender.closes[0].code).toBe(CloseCode.BadMessage);
  await waitFor(() => sender.provider.wsconnected && sender.provider.synced, { what: 'the stock client back' });
  paragraphText(other.doc).insert(0, 'Still typing. ');
  paragraphText(sender.doc).insert(0, 'Back again. ');
  await waitFor(() => contentString(sender.doc).includes('Still typing.') && contentString(other.doc).includes('Back again.'), {
    what: 'both sides converging',
  });
  expect(other.closes).toEqual([]);
});

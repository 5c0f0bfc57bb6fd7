import { expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { contentString, paragraphText, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { CloseCode, MAX_NAMED_DELETIONS_BYTES, MESSAGE_WRITER_DELETIONS, MESSAGE_WRITER_IDS } from '#shared/protocol';
import { contentRoom } from '#shared/rooms';

const harness = useHarness();

/** A frame of the app's own `type`, then `fill`. */
function frame(type: number, fill: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  fill(encoder);
  return encoding.toUint8Array(encoder);
}

const HOSTILE_FRAMES: [string, Uint8Array][] = [
  // A count promising more ids than the frame holds.
  ['a naming of writer ids cut short', frame(MESSAGE_WRITER_IDS, (e) => [5, 1234].forEach((n) => encoding.writeVarUint(e, n)))],
  // A delete set promising 1,000 clients in three bytes.
  ['a naming of deletions that is not a delete set', frame(MESSAGE_WRITER_DELETIONS, (e) => encoding.writeVarUint8Array(e, new Uint8Array([0xe8, 0x07, 1])))],
  // Every byte could be a run, an object each on the server: refused before it is read.
  [
    'a naming of deletions over its size',
    frame(MESSAGE_WRITER_DELETIONS, (e) => encoding.writeVarUint8Array(e, new Uint8Array(MAX_NAMED_DELETIONS_BYTES + 1))),
  ],
];

// The app's own messages naming the ids it wrote with (101) and what it deleted (102) are read like any
// other: a malformed one closes that one connection with BadMessage, which the stock client reconnects
// after (it stops for good only on 4400-4499); everyone else's session goes on.
it.each(HOSTILE_FRAMES)('%s closes that connection alone; the stock client reconnects and syncs, the others keep typing', async (_, hostile) => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const sender = harness.connect(s, room, f.brokerToken);
  const other = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId }));
  await Promise.all([synced(sender), synced(other)]);

  sender.provider.ws!.send(hostile);

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

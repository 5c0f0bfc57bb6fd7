import { expect, it } from 'vitest';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { contentString, paragraphText, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

// Replay a failure with CHAOS_SEED=<seed printed in the failure message>.
const SEED = Number(process.env.CHAOS_SEED ?? 20261128);
const CLIENTS = 5;
const STEPS = 600;

const harness = useHarness();

it(`five clients editing with random disconnects converge, and storage holds the same document (seed ${SEED})`, async () => {
  const gen = prng.create(SEED);
  const server = await harness.start();
  const f = await createAgreement(server);
  const clients = Array.from({ length: CLIENTS }, () => harness.connect(server, f.agreement.id, f.brokerToken));
  for (const c of clients) await synced(c);
  paragraphText(clients[0].doc).insert(0, 'Start. ');
  await waitFor(() => clients.every((c) => contentString(c.doc).includes('Start.')), { what: 'first paragraph everywhere' });

  for (let step = 0; step < STEPS; step++) {
    const c = prng.oneOf(gen, clients);
    const roll = prng.int32(gen, 0, 99);
    const text = paragraphText(c.doc);
    if (roll < 8) {
      if (c.provider.wsconnected || c.provider.wsconnecting) c.provider.disconnect();
      else c.provider.connect();
    } else if (roll < 70 || text.length < 5) {
      text.insert(prng.int32(gen, 0, text.length), prng.word(gen, 1, 6));
    } else if (roll < 90) {
      const at = prng.int32(gen, 0, text.length - 1);
      text.delete(at, Math.min(prng.int32(gen, 1, 4), text.length - at));
    } else {
      text.format(prng.int32(gen, 0, text.length - 1), 2, { bold: true });
    }
    // Let the network run between bursts so deliveries interleave with edits.
    if (step % 10 === 0) await new Promise((resolve) => setTimeout(resolve, prng.int32(gen, 0, 5)));
  }

  for (const c of clients) if (!c.provider.wsconnected && !c.provider.wsconnecting) c.provider.connect();
  const expected = await waitFor(
    () => {
      const first = contentString(clients[0].doc);
      return clients.every((c) => c.provider.synced && contentString(c.doc) === first) ? first : undefined;
    },
    { timeoutMs: 15_000, what: `replicas to converge (seed ${SEED})` },
  );

  await server.app.ctx.storage.flush();
  const stored = new Y.Doc();
  for (const u of await server.app.ctx.storage.loadRoom(f.agreement.id)) Y.applyUpdate(stored, u);
  expect(contentString(stored), `stored document (seed ${SEED})`).toBe(expected);
  expect(expected!.length).toBeGreaterThan(100);
});

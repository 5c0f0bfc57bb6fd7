import { contentString, synced, type TestClient } from '../../support/clients';
import type { Harness } from '../../support/harness';
import { createAgreement, type AgreementFixture, type TestServer } from '../../support/server';
import { waitFor } from '../../support/poll';

/** An agreement whose text has begun ("Clause 1.", at the server and at both clients), and the token of Mallory, who runs a hand-made client. */
export interface MalloryAndTwo {
  s: TestServer;
  f: AgreementFixture;
  room: string;
  mallory: string;
  lena: TestClient;
  ben: TestClient;
}

/** Starts a server with {@link MalloryAndTwo}: Lena and Ben on stock clients, synced; `firstWriter` wrote the first clause. */
export async function malloryAndTwo(harness: Harness, firstWriter: 'lena' | 'ben' = 'lena'): Promise<MalloryAndTwo> {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = f.agreement.id;
  const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
  const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
  const ben = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
  await synced(lena);
  await synced(ben);
  (firstWriter === 'lena' ? lena : ben).text.insert(0, 'Clause 1.');
  await waitFor(
    () => [lena, ben].every((c) => contentString(c.doc).includes('Clause 1.')) && s.app.ctx.rooms.with(room, (r) => contentString(r.doc).includes('Clause 1.')),
    { what: 'the first clause at both clients and at the server' },
  );
  return { s, f, room, mallory, lena, ben };
}

import { synced, type TestClient } from './clients';
import type { Harness } from './harness';
import { createAgreement, type AgreementFixture, type TestServer } from './server';

/** A started server with a new agreement and its NGO negotiator Amina on a synced stock client: the setup of a file's comparisons and exports. */
export async function agreementWithNegotiator(h: Harness): Promise<{ server: TestServer; f: AgreementFixture; ngo: TestClient }> {
  const server = await h.start();
  const f = await createAgreement(server);
  const ngo = h.connect(server, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Amina', party: f.ngoId }));
  await synced(ngo);
  return { server, f, ngo };
}

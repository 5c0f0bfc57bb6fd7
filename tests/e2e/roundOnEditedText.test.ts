import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { ConsentRound, LiveSession } from '#shared/sessions';
import { connectClient, synced } from '../support/clients';
import { heading, objective, writeDocument } from '../support/document';
import { api } from '../support/server';
import { cast, useStage } from './browser';

const stage = useStage();

// A round is bound to the objective's text when it opened. Nia read the widened band on her screen and
// pressed Agree: the round took it as her party's agreement to the earlier band, and said nothing.
it('a negotiator whose objective was edited during a consent round is told so, and cannot agree to a text no longer on the screen', async () => {
  const c = await cast(stage.server);
  const { fx } = c;
  const id = fx.agreement.id;
  const writer = connectClient(stage.server.ws, contentRoom(id), c.business);
  await synced(writer);
  const text = (band: string) => ({
    type: 'doc',
    content: [
      heading(1, 'Shared objectives'),
      objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water', band, trigger: 'Drought' }),
    ],
  });
  writeDocument(writer.doc, text('500 to 800'));
  const call = <T>(token: string, method: string, path: string, body?: unknown) => api<T>(stage.server, method, `/api/agreements/${id}${path}`, body, token);
  const nia = (await stage.join(c.url(c.ngo))).page;
  await nia.locator('[data-objective-id="obj1"]').waitFor();
  const planned = await call<LiveSession>(fx.brokerToken, 'POST', '/sessions', {
    title: 'Working session',
    agenda: [{ kind: 'objective', title: 'Safe water', objectiveId: 'obj1', plannedMinutes: 10 }],
  });
  const s = `/sessions/${planned.body.id}`;
  expect((await call(fx.brokerToken, 'POST', `${s}/start`)).status).toBe(200);
  const round = (await call<ConsentRound>(fx.brokerToken, 'POST', `${s}/rounds`, {})).body;
  const card = nia.getByTestId('consent-round');
  await card.waitFor();
  // Before any edit the round is on the text she reads: no notice.
  await card.getByRole('button', { name: 'Agree', exact: true }).waitFor();
  expect(await card.getByTestId('round-text-changed').count()).toBe(0);

  // Ben widens the band during the round; Nia sees the new band.
  writeDocument(writer.doc, text('100 to 2000'));
  await nia.locator('[data-objective-id="obj1"]').getByText('100 to 2000').waitFor();
  await expect.poll(() => card.getByTestId('round-text-changed').count(), { timeout: 10_000 }).toBe(1);
  expect(await card.getByTestId('round-text-changed').textContent()).toContain('edited since this round opened');
  expect(await card.getByRole('button', { name: 'Agree', exact: true }).isDisabled()).toBe(true);

  // Closing records her party as not having answered on the round's text, not as agreeing to it.
  const closed = await call<ConsentRound>(fx.brokerToken, 'POST', `${s}/rounds/${round.id}/close`);
  expect(closed.body.results?.find((r) => r.party === fx.ngoId)?.answer).toBe('no_answer');
  // And her card, closed, says why her party reads "No answer".
  await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('The objective was edited during the round: answers were held from then on.');
  writer.destroy();
});

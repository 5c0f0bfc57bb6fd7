import { expect, it } from 'vitest';
import { asksBeforeLeaving, cast, useStage, waitForText, writeBeforeOpening, type Cast } from './browser';
import { heading, objective, paragraph } from '../support/document';
import { api } from '../support/server';
import { waitFor } from '../support/poll';

const stage = useStage();

/** The objective "Restore the banks" (band "30 to 50 wells") as the agreement's text, before anyone opens it. */
const writeObjective = (c: Cast) =>
  writeBeforeOpening(
    stage.server,
    c.fx.agreement.id,
    c.ngo,
    {
      type: 'doc',
      content: [heading(1, 'River'), objective('o1', { title: 'Restore the banks', intent: 'Clean water', band: '30 to 50 wells' }), paragraph('The end.')],
    },
    'The end',
  );

// A stance is an attestation of the words in front of the person when they chose it. One that
// could not be sent at once (offline, a dropped request) was sent again with the text as it was
// at each try: after someone reworded the objective meanwhile, the party was recorded as agreeing
// to words its negotiator had never read (and the other party saw "Agree" on them).
// Before: expected 'agree' to be undefined (the NGO recorded as agreeing to "or 3 wells").
it('a stance that waited for the connection is not recorded on words changed meanwhile; the negotiator is told to read them again', async () => {
  const c = await cast(stage.server);
  const id = c.fx.agreement.id;
  await writeObjective(c);
  const nia = await stage.join(c.url(c.ngo));
  const ben = await stage.join(c.url(c.business));

  // Nia's requests cannot get through (the text's connection still can): her "Agree" waits.
  const stanceRequests = '**/objectives/*/stance';
  await nia.page.route(stanceRequests, (route) => route.abort('internetdisconnected'));
  await nia.page.bringToFront();
  await nia.page.getByRole('group', { name: "Your party's stance" }).getByRole('button', { name: 'Agree', exact: true }).click();
  await nia.page.getByTestId('stance-waiting').getByText('will be sent').waitFor();

  // Meanwhile Ben rewords the band, and the new words reach Nia's page.
  await ben.page.bringToFront();
  await ben.page.locator('[data-objective-field="band"]').click();
  await ben.page.keyboard.press('End');
  await ben.page.keyboard.type(' or 3 wells');
  await waitForText(nia.page, '30 to 50 wells or 3 wells');

  await nia.page.unroute(stanceRequests);
  await nia.page.waitForFunction(() => document.querySelector('[data-testid="stance-waiting"]')?.textContent === '', undefined, {
    polling: 50,
    timeout: 15_000,
  });
  const listed = await api<{ objectives: { id: string; statuses: Record<string, string> }[] }>(
    stage.server,
    'GET',
    `/api/agreements/${id}/objectives`,
    undefined,
    c.ngo,
  );
  expect(listed.body.objectives[0].statuses[c.fx.ngoId]).toBe('none');
  expect(await ben.page.getByTestId(`stance-${c.fx.ngoId}`).getAttribute('data-status')).toBe('none');
  await nia.page.getByTestId('stances').getByText('edited since you chose').waitFor({ timeout: 5_000 });
});

// A stance waiting for the connection lives in the page alone (the text's words are kept on the device):
// closing the tab or reloading dropped it without a word.
// Before: expected false to be true (the page let its person leave with the stance unsent).
it('a page with a stance still waiting to be sent asks before its person leaves it', async () => {
  const c = await cast(stage.server);
  await writeObjective(c);
  const { page } = await stage.join(c.url(c.ngo));
  const stanceRequests = '**/objectives/*/stance';
  await page.route(stanceRequests, (route) => route.abort('internetdisconnected'));
  await page.getByRole('group', { name: "Your party's stance" }).getByRole('button', { name: 'Agree', exact: true }).click();
  await page.getByTestId('stance-waiting').getByText('will be sent').waitFor();
  expect(await asksBeforeLeaving(page)).toBe(true);
  await page.unroute(stanceRequests);
  // Sent (the other pages may see the stance before this one's request has its answer): the page lets its person go.
  await waitFor(async () => !(await asksBeforeLeaving(page)), { timeoutMs: 15_000, what: 'the page letting its person leave once the stance is sent' });
  expect(await page.getByTestId(`stance-${c.fx.ngoId}`).getAttribute('data-status')).toBe('agree');
});

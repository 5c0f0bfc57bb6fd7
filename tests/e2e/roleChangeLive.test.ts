import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PeopleResponse } from '#shared/access';
import { api } from '../support/server';
import { connectClient, synced } from '../support/clients';
import { contentRoom } from '#shared/rooms';
import { asksBeforeLeaving, cast, selectText, useStage, waitForText, writeBeforeOpening, writeAtEnd, type Cast } from './browser';
import { objective, paragraph, writeDocument } from '../support/document';
import { agreeOffline, beginObjection, niaInARound } from './rounds';

const stage = useStage();

// The role is read from the server's records: a change closes the person's sockets (4100) and the page
// reads who they are again. Nothing may be lost on the way: the text keeps flowing both ways.
describe('a role changed while the person has the agreement open', () => {
  it('an observer made a negotiator writes at once, and both sides see each other’s words within seconds', async () => {
    const c = await cast(stage.server);
    const olu = await c.fx.invite({ role: 'observer', name: 'Olu Observer' });
    const ben = await stage.join(c.url(c.business));
    const observer = await stage.join(c.url(olu));
    await makeOluANegotiator(c, observer.page);
    await writeAtEnd(ben.page, 'Ben writes after the role change.');
    await observer.page.bringToFront();
    await waitForText(observer.page, 'Ben writes after the role change.', 10_000);
    await writeAtEnd(observer.page, 'Olu writes as a negotiator now.');
    await ben.page.bringToFront();
    await waitForText(ben.page, 'Olu writes as a negotiator now.', 10_000);
  });

  // The page built its whole editor anew: on a long agreement the person lost their place (thrown to the
  // top) and the passage they had selected to comment on.
  it('keeps the person where they were reading, with their selection: the editor is not built again', async () => {
    const c = await cast(stage.server);
    const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
    await synced(writer);
    writeDocument(writer.doc, {
      type: 'doc',
      content: Array.from({ length: 80 }, (_, i) => paragraph(`Clause ${i + 1}. The parties share the work of the river.`)),
    });
    const olu = await c.fx.invite({ role: 'observer', name: 'Olu Observer' });
    const observer = await stage.join(c.url(olu));
    await waitForText(observer.page, 'Clause 80.');
    writer.destroy();
    await observer.page.locator('.ProseMirror p', { hasText: 'Clause 60.' }).scrollIntoViewIfNeeded();
    await selectText(observer.page, 'Clause 60. The parties');
    /** Where the selected clause is on screen (the toolbar a negotiator gets may push it a little). */
    const clauseTop = () =>
      observer.page.evaluate(
        () => [...document.querySelectorAll('.ProseMirror p')].find((p) => p.textContent?.startsWith('Clause 60.'))!.getBoundingClientRect().top,
      );
    const before = await clauseTop();
    expect(await observer.page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    await observer.page.evaluate(() => ((document.querySelector('.ProseMirror') as HTMLElement & { seenBefore?: boolean }).seenBefore = true));

    await makeOluANegotiator(c, observer.page);
    const after = await observer.page.evaluate(() => ({
      sameEditor: (document.querySelector('.ProseMirror') as HTMLElement & { seenBefore?: boolean }).seenBefore === true,
      selected: window.getSelection()?.toString(),
    }));
    expect(after).toEqual({ sameEditor: true, selected: 'Clause 60. The parties' });
    expect(Math.abs((await clauseTop()) - before)).toBeLessThan(80);
  });
});

/** The broker makes Olu (an observer) a negotiator of the NGO, and waits until Olu's page says so. */
async function makeOluANegotiator(c: Cast, oluPage: Page): Promise<void> {
  const path = `/api/agreements/${c.fx.agreement.id}/people`;
  const people = await api<{ people: { id: string; name: string }[] }>(stage.server, 'GET', path, undefined, c.fx.brokerToken);
  const id = people.body.people.find((p) => p.name === 'Olu Observer')!.id;
  expect((await api(stage.server, 'PATCH', `${path}/${id}`, { role: 'negotiator', party: c.fx.ngoId }, c.fx.brokerToken)).status).toBe(200);
  await oluPage.waitForFunction(() => /Negotiator/.test(document.querySelector('[data-testid="role-badge"]')?.textContent ?? ''), undefined, {
    polling: 50,
    timeout: 15_000,
  });
}

/** The broker corrects the party of Nia (the cast's first NGO negotiator): she now speaks for the business. */
function moveNiaToTheBusiness(c: Cast): Promise<void> {
  return changeNia(c, { role: 'negotiator', party: c.fx.businessId });
}

/** The broker changes the role (and party) of Nia, the cast's first NGO negotiator. */
async function changeNia(c: Cast, change: { role: string; party?: string }): Promise<void> {
  const path = `/api/agreements/${c.fx.agreement.id}/people`;
  const people = await api<PeopleResponse>(stage.server, 'GET', path, undefined, c.fx.brokerToken);
  const niaId = people.body.people.find((p) => p.name === 'Nia Otieno')!.id;
  expect((await api(stage.server, 'PATCH', `${path}/${niaId}`, change, c.fx.brokerToken)).status).toBe(200);
}

describe('a negotiator moved to another party while the page is open', () => {
  it('a private note begun for the old party is not written into the new party’s private space; its words stay in the field', async () => {
    const c = await cast(stage.server);
    const id = c.fx.agreement.id;
    const nia = await stage.join(c.url(c.ngo));
    await nia.page.getByTestId('caucus-tab').click();
    await nia.page.getByRole('button', { name: 'New private note' }).click();
    const draft = nia.page.getByTestId('thread-draft');
    await draft.getByRole('textbox').fill('Our floor is 40% of the pumps.');

    // The broker corrects Nia's party while she writes: she now speaks for the business.
    await moveNiaToTheBusiness(c);
    await nia.page.getByTestId('caucus-tab').filter({ hasText: 'Private to Acme Beverages' }).waitFor({ timeout: 15_000 });

    await draft.getByRole('button', { name: 'Comment', exact: true }).click();
    await draft.getByRole('alert').filter({ hasText: 'WaterAid Kenya' }).waitFor();
    expect(await draft.getByRole('textbox').inputValue()).toBe('Our floor is 40% of the pumps.');
    const business = await api<{ threads: unknown[] }>(stage.server, 'GET', `/api/agreements/${id}/threads?caucus=1`, undefined, c.business);
    expect(business.body.threads).toEqual([]);
  });

  it('a stance stated offline for the old party is not recorded as the new party’s when it is sent', async () => {
    const c = await cast(stage.server);
    const id = c.fx.agreement.id;
    const doc = {
      type: 'doc',
      content: [paragraph('The parties agree.'), objective('o1', { title: 'Restore the banks', intent: 'Clean water' }), paragraph('The end.')],
    };
    await writeBeforeOpening(stage.server, id, c.ngo, doc, 'The end');
    const nia = await stage.join(c.url(c.ngo));
    await nia.context.setOffline(true);
    await nia.page.getByRole('group', { name: "Your party's stance" }).getByRole('button', { name: 'Agree', exact: true }).click();
    await nia.page.getByTestId('stance-waiting').waitFor();

    await moveNiaToTheBusiness(c);
    await nia.context.setOffline(false);
    await nia.page.getByTestId('caucus-tab').filter({ hasText: 'Private to Acme Beverages' }).waitFor({ timeout: 15_000 });
    await nia.page.getByTestId('stances').getByRole('alert').filter({ hasText: 'WaterAid Kenya' }).waitFor({ timeout: 15_000 });
    const objectives = await api<{ objectives: { statuses: Record<string, string> }[] }>(
      stage.server,
      'GET',
      `/api/agreements/${id}/objectives`,
      undefined,
      c.fx.brokerToken,
    );
    expect(objectives.body.objectives[0].statuses).toEqual({ [c.fx.ngoId]: 'none', [c.fx.businessId]: 'none' });
  });
});

describe('a negotiator moved to another party, or made an observer, during a consent round', () => {
  it('an objection whose reason she was writing for the old party is not recorded as the new party’s answer', async () => {
    const { c, round, nia, card } = await niaInARound(stage);
    await beginObjection(card, 'The NGO cannot carry the monitoring alone.');

    // The broker corrects Nia's party while she writes her party's reason.
    await moveNiaToTheBusiness(c);
    await nia.page.getByTestId('caucus-tab').filter({ hasText: 'Private to Acme Beverages' }).waitFor({ timeout: 15_000 });
    await card.getByRole('button', { name: 'Answer “Object”' }).click();

    const shown = async () => ({
      refusal: await card.getByRole('alert').filter({ hasText: 'WaterAid Kenya' }).count(),
      business: await card.getByTestId(`round-answer-${c.fx.businessId}`).getAttribute('data-answer'),
    });
    await expect.poll(shown, { timeout: 15_000 }).toEqual({ refusal: 1, business: 'waiting' });
    // Her words stay in the field, to answer again for the party she now speaks for if she means to.
    expect(await card.getByLabel('Reason').inputValue()).toBe('The NGO cannot carry the monitoring alone.');
    expect((await round.close()).results?.map((r) => r.answer)).toEqual(['no_answer', 'no_answer']);
  });

  it('an “Agree” given offline for the old party is not sent as the new party’s once the connection is back', async () => {
    const { c, round, nia, card } = await niaInARound(stage);
    await agreeOffline(nia, card);

    await moveNiaToTheBusiness(c);
    await nia.context.setOffline(false);
    await nia.page.getByTestId('caucus-tab').filter({ hasText: 'Private to Acme Beverages' }).waitFor({ timeout: 15_000 });
    await card.getByRole('alert').filter({ hasText: 'WaterAid Kenya' }).waitFor({ timeout: 15_000 });
    expect((await round.close()).results?.map((r) => r.answer)).toEqual(['no_answer', 'no_answer']);
  });

  it('made an observer while writing her party’s objection, she is told it was not sent, with her words, and the page does not hold her for it', async () => {
    const { c, round, nia, card } = await niaInARound(stage);
    await beginObjection(card, 'The NGO cannot carry the monitoring alone.');

    await changeNia(c, { role: 'observer' });
    await nia.page.waitForFunction(() => /Observer/.test(document.querySelector('[data-testid="role-badge"]')?.textContent ?? ''), undefined, {
      polling: 50,
      timeout: 15_000,
    });
    await expect
      .poll(() => card.textContent(), { timeout: 5_000 })
      .toContain('You no longer answer for WaterAid Kenya, so your “Object” was not sent. What you wrote: “The NGO cannot carry the monitoring alone.”');
    expect(await card.getByRole('button').count()).toBe(0);
    expect(await asksBeforeLeaving(nia.page)).toBe(false);
    expect((await round.close()).results?.map((r) => r.answer)).toEqual(['no_answer', 'no_answer']);
  });
});

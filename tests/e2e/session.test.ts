import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { anchorAt, contentFragment } from '#shared/anchors';
import { contentRoom } from '#shared/rooms';
import { connectClient, synced } from '../support/clients';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { api, removeDir, tempDir } from '../support/server';
import { asksBeforeLeaving, cast, seriousFindings, useStage, type Person } from './browser';

const stage = useStage();

/** Whether the objective block's top is inside the window (what a follower sees without scrolling). */
function objectiveInView(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const rect = document.querySelector('[data-objective-id="obj1"]')?.getBoundingClientRect();
    return rect !== undefined && rect.top >= 0 && rect.top < window.innerHeight;
  });
}

async function waitForAttr(page: Page, testId: string, attr: string, value: string): Promise<void> {
  await page.waitForFunction(([t, a, v]) => document.querySelector(`[data-testid="${t}"]`)?.getAttribute(a) === v, [testId, attr, value] as const, {
    polling: 50,
    timeout: 15_000,
  });
}

it('a broker runs a session with two negotiators of different parties and an observer: agenda, follow, consent round, hand, parked point, action, caucus, minutes and export', async () => {
  const c = await cast(stage.server);
  const { fx } = c;
  const observerToken = await fx.invite({ role: 'observer', name: 'Olu Observer' });
  // A long text, so the objective starts out of everyone's view.
  const writer = connectClient(stage.server.ws, contentRoom(fx.agreement.id), c.ngo);
  await synced(writer);
  writeDocument(writer.doc, {
    type: 'doc',
    content: [
      heading(1, 'Background'),
      ...Array.from({ length: 40 }, (_, i) => paragraph(`Background paragraph ${i + 1} about the river basin and its villages.`)),
      heading(1, 'Shared objectives'),
      objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water', band: '500 to 800', trigger: 'Drought' }),
    ],
  });
  const people: Person[] = [];
  const enter = async (token: string) => {
    const person = await stage.join(c.url(token));
    people.push(person);
    await person.page.locator('[data-objective-id="obj1"]').waitFor();
    return person.page;
  };
  const broker = await enter(fx.brokerToken);
  const nia = await enter(c.ngo);
  const ben = await enter(c.business);
  const olu = await enter(observerToken);
  writer.destroy();
  const followers = [nia, ben, olu];

  // Plan: the objective from the outline, then "Introductions", moved first with the keyboard.
  await broker.bringToFront();
  const consolePanel = broker.getByTestId('session-console');
  expect(await asksBeforeLeaving(broker)).toBe(false);
  await consolePanel.getByLabel('Session title').fill('Working session 3');
  await consolePanel.getByLabel('Add from the outline').selectOption({ label: 'Safe water for households' });
  await consolePanel.getByRole('button', { name: 'Add “Safe water for households”' }).click();
  await consolePanel.getByLabel('Free item').fill('Introductions');
  await consolePanel.getByRole('button', { name: 'Add item' }).click();
  const rows = consolePanel.getByTestId('agenda-row');
  await rows.nth(1).focus();
  await broker.keyboard.press('Alt+ArrowUp');
  await expect(rows.nth(0).getByLabel('Title of item 1').inputValue()).resolves.toBe('Introductions');
  // Each item's title reads whole in the side panel's width (and, as its field wraps, in its height).
  const titleWidths = await rows
    .locator('[aria-label^="Title of item"]')
    .evaluateAll((inputs) =>
      inputs.map((input) => ({ shown: input.clientWidth, needed: input.scrollWidth, shownHeight: input.clientHeight, neededHeight: input.scrollHeight })),
    );
  expect(titleWidths).toHaveLength(2);
  for (const { shown, needed } of titleWidths) expect(shown).toBeGreaterThanOrEqual(Math.max(needed, 150));
  for (const { shownHeight, neededHeight } of titleWidths) expect(shownHeight).toBeGreaterThanOrEqual(neededHeight);
  // The agenda being planned lives in the form only: leaving would lose it, and the browser asks first.
  expect(await asksBeforeLeaving(broker)).toBe(true);
  await consolePanel.getByRole('button', { name: 'Plan session' }).click();
  await consolePanel.getByRole('button', { name: 'Start session' }).click();

  // Everyone sees the session bar on the first item, and which parties are present.
  for (const page of [broker, ...followers]) {
    const bar = page.getByTestId('session-bar');
    await bar.locator('[aria-current="step"]').getByText('Introductions').waitFor({ timeout: 15_000 });
    await bar.getByTestId('item-timer').waitFor();
  }
  await olu.getByTestId('session-presence').getByText('Acme Beverages: Ben Kamau').waitFor();
  expect(await olu.getByTestId('absent-parties').count()).toBe(0);
  await broker.getByTestId('followers').getByText('3 of 3 following').waitFor();
  expect(await objectiveInView(nia)).toBe(false);
  // The running session's controls in the side panel show their whole label.
  await consolePanel.getByRole('button', { name: 'End session and write the minutes' }).waitFor();
  const cutLabels = await broker
    .locator('#side-panel button:visible')
    .evaluateAll((buttons) => buttons.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent?.trim()));
  expect(cutLabels).toEqual([]);

  // Next item by keyboard: every follower's view scrolls to the objective.
  await broker.bringToFront();
  await broker.keyboard.press('Alt+Shift+N');
  for (const page of followers) {
    await page.getByTestId('session-bar').locator('[aria-current="step"]').getByText('Safe water for households').waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      () => {
        const rect = document.querySelector('[data-objective-id="obj1"]')?.getBoundingClientRect();
        return rect !== undefined && rect.top >= 0 && rect.top < window.innerHeight;
      },
      undefined,
      { polling: 50, timeout: 15_000 },
    );
  }

  // A consent round, started by keyboard: the NGO agrees, the business objects with a reason.
  await broker.bringToFront();
  await broker.keyboard.press('Alt+Shift+R');
  await nia.getByTestId('consent-round').waitFor({ timeout: 15_000 });
  await nia.bringToFront();
  await nia.getByTestId('consent-round').getByRole('button', { name: 'Agree', exact: true }).click();
  await ben.bringToFront();
  const benRound = ben.getByTestId('consent-round');
  await benRound.getByRole('button', { name: 'Object' }).click();
  await benRound.getByLabel('Reason').fill('The band is too wide');
  expect(await asksBeforeLeaving(ben)).toBe(true);
  await benRound.getByRole('button', { name: 'Answer “Object”' }).click();
  await waitForAttr(broker, `round-answer-${fx.ngoId}`, 'data-answer', 'agree');
  await waitForAttr(broker, `round-answer-${fx.businessId}`, 'data-answer', 'object');
  // Each negotiator answers for the party named; an observer reads the answers and has nothing to press.
  expect(await benRound.getByRole('group', { name: 'Answer for Acme Beverages' }).count()).toBe(1);
  expect(await olu.getByTestId('consent-round').getByRole('button').count()).toBe(0);
  await broker.bringToFront();
  await broker.keyboard.press('Alt+Shift+C');
  await waitForAttr(olu, 'consent-round', 'data-status', 'closed');
  await waitForAttr(olu, `stance-${fx.businessId}`, 'data-status', 'object');
  await waitForAttr(olu, `stance-${fx.ngoId}`, 'data-status', 'agree');

  // The running session's bar, round and console pass axe-core for the broker and a negotiator (the rest of the page is the accessibility test's).
  const sessionParts = ['[data-testid="session-bar"]', '[data-testid="consent-round"]', '[data-testid="session-console"]', '[data-testid="parking-lot"]'];
  expect(await seriousFindings(broker, sessionParts), 'broker during the session').toEqual([]);
  expect(await seriousFindings(ben, sessionParts), 'negotiator during the session').toEqual([]);

  // A raised hand, seen by everyone in order; the broker gives Ben the floor.
  await ben.bringToFront();
  await ben.getByRole('button', { name: 'Raise hand' }).click();
  await olu.getByTestId('hands-queue').getByText('Ben Kamau').waitFor({ timeout: 15_000 });
  await broker.bringToFront();
  await broker.getByTestId('hands-queue').getByRole('button', { name: 'Give floor' }).click();
  await nia.getByTestId('floor').getByText('Ben Kamau').waitFor({ timeout: 15_000 });

  // A parked point, listed for everyone.
  await consolePanel.getByLabel('Point to park').fill('Who maintains the pumps?');
  expect(await asksBeforeLeaving(broker)).toBe(true);
  await consolePanel.getByRole('button', { name: 'Park' }).click();
  await olu.getByTestId('parking-lot').getByText('Who maintains the pumps?').waitFor({ timeout: 15_000 });
  // Recorded: nothing left to lose (the agenda went with the plan, the point with the Park).
  await expect.poll(() => asksBeforeLeaving(broker), { timeout: 15_000 }).toBe(false);

  // A dated action joins the quick-wins timeline; a caucus break opens each party's caucus tab and shows its timer to all.
  await consolePanel.getByLabel('Action', { exact: true }).fill('Survey the wells');
  await consolePanel.getByLabel('Owner').selectOption({ label: 'WaterAid Kenya' });
  await consolePanel.getByLabel('Due date').fill('2027-02-01');
  await consolePanel.getByRole('button', { name: 'Add action' }).click();
  await olu.getByTestId('timeline-action').getByText('Action: Survey the wells').waitFor({ timeout: 15_000 });
  // Done in the session itself: the minutes report it under the item.
  await nia.bringToFront();
  await nia.getByRole('checkbox', { name: 'Done: Survey the wells' }).check();
  await olu.getByTestId('timeline-action').locator('.timeline__done').waitFor({ timeout: 15_000 });
  await broker.bringToFront();
  await consolePanel.getByLabel('Caucus minutes').fill('5');
  await consolePanel.getByRole('button', { name: 'Call caucus break' }).click();
  await olu.getByTestId('caucus-timer').waitFor({ timeout: 15_000 });
  await waitForAttr(nia, 'caucus-tab', 'aria-selected', 'true');
  await waitForAttr(ben, 'caucus-tab', 'aria-selected', 'true');
  // Where a party is in the text is its own while it caucuses: the other party sees Nia present, in caucus, with no caret.
  const niaAtBen = ben.getByTestId('people-present').locator('[data-person="Nia Otieno"]');
  await niaAtBen.getByText('in caucus').waitFor({ timeout: 15_000 });
  expect(await ben.locator('.ProseMirror .collaboration-carets__caret[data-user="Nia Otieno"]').count()).toBe(0);
  // Each party the same: Nia sees Ben in caucus, and herself as she is.
  await nia.getByTestId('people-present').locator('[data-person="Ben Kamau"]').getByText('in caucus').waitFor({ timeout: 15_000 });
  expect(await nia.getByTestId('people-present').locator('[data-person="Nia Otieno"]').getByText('in caucus').count()).toBe(0);

  // A suggestion accepted during the item changes the words: the minutes say whose it was, who accepted it and what changed.
  const reader = connectClient(stage.server.ws, contentRoom(fx.agreement.id), c.legal);
  await synced(reader);
  const anchor = anchorAt(contentFragment(reader.doc), 1, 11);
  reader.destroy();
  const agreementApi = `/api/agreements/${fx.agreement.id}/suggestions`;
  const suggested = await api<{ suggestion: { id: string } }>(stage.server, 'POST', agreementApi, { anchor, text: 'Context' }, c.business);
  expect(suggested.status).toBe(201);
  expect((await api(stage.server, 'POST', `${agreementApi}/${suggested.body.suggestion.id}/accept`, undefined, c.ngo)).status).toBe(200);

  // End: the minutes list all of it, for the observer too, and export.
  await consolePanel.getByRole('button', { name: 'End session and write the minutes' }).click();
  await olu.getByTestId('session-bar').waitFor({ state: 'detached', timeout: 15_000 });
  // The break ended with the session: Nia is shown as any other person again.
  await niaAtBen.getByText('in caucus').waitFor({ state: 'detached', timeout: 15_000 });
  await olu.bringToFront();
  await olu.getByTestId('past-session').filter({ hasText: 'Working session 3' }).getByRole('button', { name: 'Minutes' }).click();
  const minutes = olu.getByTestId('minutes');
  const attendees = await minutes.getByTestId('minutes-attendees').textContent();
  for (const name of ['Brook Broker', 'Nia Otieno, Negotiator, WaterAid Kenya', 'Ben Kamau, Negotiator, Acme Beverages', 'Olu Observer, Observer'])
    expect(attendees).toContain(name);
  const items = minutes.getByTestId('minutes-item');
  await expect(items.count()).resolves.toBe(2);
  await expect(items.nth(0).textContent()).resolves.toContain('Introductions');
  const water = (await items.nth(1).textContent()) ?? '';
  for (const text of [
    'Safe water for households',
    'WaterAid Kenya: Agree',
    'Acme Beverages: Object (The band is too wide)',
    'Who maintains the pumps?',
    // A due date reads as the app writes dates, not as stored (2027-02-01).
    'Survey the wells: WaterAid Kenya, due Feb 1, 2027',
    'Nia Otieno accepted Ben Kamau’s suggestion replacing “Background” with “Context”',
    'Nia Otieno: Action done: Survey the wells',
  ]) {
    expect(water).toContain(text);
  }

  // Dates and times read as everywhere else in the app (ui/When): the past session's "Dec 1, 2026, 4:35 AM" gives the style.
  const ended = (await olu.getByTestId('past-session').filter({ hasText: 'Working session 3' }).locator('time').textContent()) ?? '';
  const [day, endTime] = [ended.replace(/, [^,]*$/, ''), ended.replace(/^.*, /, '')];
  const header = (await minutes.locator(':scope > p').first().textContent()) ?? '';
  expect(header.startsWith(`${day}, `), header).toBe(true);
  expect(header).toContain(`–${endTime} (`);
  // Everyone stayed to the end: each attendee's time ends with the session's.
  for (const line of await minutes.getByTestId('minutes-attendees').locator('li').allTextContents()) expect(line.endsWith(`–${endTime}`), line).toBe(true);
  expect(await olu.getByTestId('parked-point').filter({ hasText: 'Who maintains the pumps?' }).textContent()).toContain(`Brook Broker · ${day}`);

  expect(await seriousFindings(olu, ['[data-testid="minutes"]']), 'minutes').toEqual([]);
  const [download] = await Promise.all([olu.waitForEvent('download'), minutes.getByRole('button', { name: 'Markdown' }).click()]);
  expect(download.suggestedFilename()).toBe('River Restoration Partnership - Minutes - Working session 3.md');
  const dir = await tempDir('cg-minutes-');
  const saved = join(dir, 'minutes.md');
  await download.saveAs(saved);
  const md = await readFile(saved, 'utf8');
  await removeDir(dir);
  expect(md).toContain('Minutes: Working session 3');
  expect(md).toContain('Acme Beverages: Object (The band is too wide)');
  expect(md).toContain('Survey the wells: WaterAid Kenya, due 1 February 2027');
  expect(md).toContain('Nia Otieno accepted Ben Kamau’s suggestion replacing “Background” with “Context”');
  for (const person of people) expect(person.errors).toEqual([]);
}, 120_000);

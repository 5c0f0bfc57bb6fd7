import { expect, it } from 'vitest';
import type { WebSocketRoute } from 'playwright-core';
import { asksBeforeLeaving, cast, useStage, waitForConnection } from './browser';
import { agreeOffline, beginObjection, niaInARound, openRoundOnObjective } from './rounds';

const stage = useStage();

// Nia was writing her party's objection when the broker closed the round: the card turned to "Round closed",
// her party read "No answer", and her words were gone without a word about them.
it('a negotiator writing an objection when the broker closes the round is told it was not sent, and keeps her words', async () => {
  const { round, nia, card } = await niaInARound(stage);
  await beginObjection(card, 'The county must maintain the pumps.');

  expect((await round.close()).results?.map((r) => r.answer)).toEqual(['no_answer', 'no_answer']);
  await card.and(nia.page.locator('[data-status="closed"]')).waitFor({ timeout: 15_000 });
  await expect
    .poll(() => card.textContent(), { timeout: 5_000 })
    .toContain('The round closed before your “Object” was sent: WaterAid Kenya is recorded as not answering');
  expect(await card.getByTestId('round-unsent').textContent()).toContain('The county must maintain the pumps.');
});

// Answered by keyboard with a screen reader: the answer buttons never read as pressed for the answer given, nothing
// said it was recorded, and sending a reason left the focus on the page's body, far from the round.
it('a negotiator answers by keyboard alone: told the answer is recorded, the button given reads pressed, the focus stays with the answers', async () => {
  const { c, nia, card } = await niaInARound(stage);
  const answers = card.getByRole('group', { name: 'Answer for WaterAid Kenya' });
  const object = answers.getByRole('button', { name: 'Object', exact: true });
  const agree = answers.getByRole('button', { name: 'Agree', exact: true });
  const focused = () => nia.page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent ?? ''}`.trim());
  const said = () =>
    card
      .getByRole('status')
      .allTextContents()
      .then((texts) => texts.join(' ').trim());

  await object.focus();
  await nia.page.keyboard.press('Enter');
  await nia.page.keyboard.type('The county must maintain the pumps.');
  await nia.page.keyboard.press('Enter');
  await card.getByTestId(`round-answer-${c.fx.ngoId}`).and(nia.page.locator('[data-answer="object"]')).waitFor({ timeout: 15_000 });
  await expect
    .poll(async () => ({ said: await said(), pressed: await object.getAttribute('aria-pressed'), focus: await focused() }))
    .toEqual({
      said: 'Your “Object” is recorded for WaterAid Kenya.',
      pressed: 'true',
      focus: 'BUTTON Object',
    });

  // Changing her mind: Agree replaces it, and only Agree reads pressed.
  await nia.page.keyboard.press('Shift+Tab');
  await nia.page.keyboard.press('Shift+Tab');
  expect(await focused()).toBe('BUTTON Agree');
  await nia.page.keyboard.press('Enter');
  await expect
    .poll(async () => ({ said: await said(), agree: await agree.getAttribute('aria-pressed'), object: await object.getAttribute('aria-pressed') }))
    .toEqual({
      said: 'Your “Agree” is recorded for WaterAid Kenya.',
      agree: 'true',
      object: 'false',
    });
  expect(await focused()).toBe('BUTTON Agree');

  // A reason begun and then thought better of: Escape puts it away and the focus back on its button.
  await object.focus();
  await nia.page.keyboard.press('Enter');
  await nia.page.keyboard.type('On second thought');
  await nia.page.keyboard.press('Escape');
  await expect
    .poll(async () => ({ form: await card.getByLabel('Reason').count(), focus: await focused(), agree: await agree.getAttribute('aria-pressed') }))
    .toEqual({
      form: 0,
      focus: 'BUTTON Object',
      agree: 'true',
    });
});

// Nia pressed Agree while the meeting room's network was down: "Cannot reach the server" showed, then vanished once
// the connection was back, and her party still read "waiting…": nothing said her answer had never been sent.
it('an answer given while offline is sent once the connection is back, and says meanwhile that it waits', async () => {
  const { c, round, nia, card } = await niaInARound(stage);
  await agreeOffline(nia, card);
  await expect
    .poll(
      () =>
        card
          .getByRole('status')
          .allTextContents()
          .then((t) => t.join(' ').trim()),
      { timeout: 10_000 },
    )
    .toBe('Offline: your “Agree” for WaterAid Kenya will be sent as soon as the connection is back.');

  // Lost with the page until it is sent: the page asks before it is left.
  expect(await asksBeforeLeaving(nia.page)).toBe(true);

  await nia.context.setOffline(false);
  await waitForConnection(nia.page, 'live');
  await expect.poll(() => card.getByTestId(`round-answer-${c.fx.ngoId}`).getAttribute('data-answer'), { timeout: 15_000 }).toBe('agree');
  expect((await round.close()).results?.map((r) => r.answer)).toEqual(['agree', 'no_answer']);
});

// Two brokers pressed "Close round" at once: the round closed, and one of them read "the round is closed" in red
// under it, as if their close had failed.
it('two brokers closing the same round at once both see it closed, and no error', async () => {
  const c = await cast(stage.server);
  await openRoundOnObjective(stage.server, c);
  const co = await c.fx.invite({ role: 'broker', name: 'Cora Co-broker' });
  const cards = await Promise.all([c.fx.brokerToken, co].map(async (token) => (await stage.join(c.url(token))).page.getByTestId('consent-round')));
  const close = cards.map((card) => card.getByRole('button', { name: 'Close round' }));
  // Pressed within the same moment: neither page has heard of the other's close yet.
  const buttons = await Promise.all(close.map((button) => button.elementHandle()));
  await Promise.all(buttons.map((button) => button?.evaluate((el) => (el as HTMLButtonElement).click())));
  for (const card of cards) await card.and(card.page().locator('[data-status="closed"]')).waitFor({ timeout: 15_000 });
  await expect.poll(() => Promise.all(cards.map((card) => card.getByRole('alert').allTextContents())), { timeout: 3_000 }).toEqual([[], []]);
});

// The broker pressed "End session and write the minutes": the session's controls vanished, the console showed an
// empty plan form, the focus fell to the page's body, and nothing said the minutes were written or where they were.
it('a broker who ends the session by keyboard is told its minutes are written, and opens them from there', async () => {
  const c = await cast(stage.server);
  const round = await openRoundOnObjective(stage.server, c);
  await round.close();
  const broker = (await stage.join(c.url(c.fx.brokerToken))).page;
  const panel = broker.getByTestId('session-console');
  const end = panel.getByRole('button', { name: 'End session and write the minutes' });
  await end.focus();
  await broker.keyboard.press('Enter');
  const focused = () => broker.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent ?? ''}`.trim());
  await expect
    .poll(async () => ({ said: (await panel.getByRole('status').allTextContents()).join(' ').trim(), focus: await focused() }), { timeout: 15_000 })
    .toEqual({ said: '“Working session” has ended and its minutes are written.', focus: 'BUTTON Open the minutes' });
  await broker.keyboard.press('Enter');
  await broker.getByRole('dialog', { name: 'Minutes: Working session' }).waitFor();
});

// Nia opened the agreement mid-round on a slow link: the round's card came (its records are small) while the text
// had not, and she could press Agree with no words on her screen; the round took it as the NGO's agreement.
it('a negotiator cannot answer before the text the round is about has reached her page', async () => {
  const c = await cast(stage.server);
  const round = await openRoundOnObjective(stage.server, c);
  const page = await (await stage.newContext()).newPage();
  // The agreement text's socket is held until let through; the records' socket goes on.
  const held: WebSocketRoute[] = [];
  let through = false;
  await page.routeWebSocket(
    (url) => url.pathname === `/collab/${c.fx.agreement.id}`,
    (socket) => (through ? socket.connectToServer() : held.push(socket)),
  );
  await page.goto(c.url(c.ngo));
  const card = page.getByTestId('consent-round');
  const agree = card.getByRole('button', { name: 'Agree', exact: true });
  await agree.waitFor({ timeout: 15_000 });
  expect({ disabled: await agree.isDisabled(), said: (await card.getByRole('status').allTextContents()).join(' ').trim() }).toEqual({
    disabled: true,
    said: 'The objective’s text has not reached your page yet: answers wait until you can read it.',
  });

  through = true;
  // Closed as a server busy for a moment would (1013): the page connects again, and now reaches the server.
  for (const socket of held) await socket.close({ code: 1013 });
  await expect.poll(() => agree.isDisabled(), { timeout: 15_000 }).toBe(false);
  await agree.click();
  // Closed once her answer is recorded, as a broker would see it on the card: closed as the click returned, the
  // round raced her answer's request on a loaded machine and recorded the NGO as not answering.
  await expect.poll(() => card.getByTestId(`round-answer-${c.fx.ngoId}`).getAttribute('data-answer'), { timeout: 15_000 }).toBe('agree');
  expect((await round.close()).results?.map((r) => r.answer)).toEqual(['agree', 'no_answer']);
});

// Two brokers pressed "Start consent round" at once: one round opened, and the other broker read "a consent round
// is already open" in red, as if theirs had failed.
it('two brokers starting a round at once both see the one round, and no error', async () => {
  const c = await cast(stage.server);
  const round = await openRoundOnObjective(stage.server, c);
  await round.close();
  const co = await c.fx.invite({ role: 'broker', name: 'Cora Co-broker' });
  const bars = await Promise.all([c.fx.brokerToken, co].map(async (token) => (await stage.join(c.url(token))).page.getByTestId('session-bar')));
  const starts = await Promise.all(bars.map((bar) => bar.getByRole('button', { name: 'Start consent round' }).elementHandle()));
  // Pressed within the same moment: neither page has heard of the other's round yet.
  await Promise.all(starts.map((button) => button?.evaluate((el) => (el as HTMLButtonElement).click())));
  for (const bar of bars) await bar.page().getByTestId('consent-round').and(bar.page().locator('[data-status="open"]')).waitFor({ timeout: 15_000 });
  await expect.poll(() => Promise.all(bars.map((bar) => bar.getByRole('alert').allTextContents())), { timeout: 3_000 }).toEqual([[], []]);
});
